package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Newcomer item 9: in Chinese, 提交 is submitting the information and
// 发送给 CA is the commit; no text says it the other way round.
func TestChineseSubmitAndSendAreTwoWords(t *testing.T) {
	mixed := regexp.MustCompile(`提交\s*CA|向 CA 提交|提交给 CA`)
	filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git") {
			return fs.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if mixed.MatchString(line) {
				t.Errorf("%s:%d says 提交 for sending to the CA: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
}
