package termtext

import (
	"strings"
	"testing"
)

// A break before closing punctuation would move the Latin letter before it
// down with it (pars|e：): such a break is not taken.
func TestWrapKeepsLatinBeforeClosingPunctuation(t *testing.T) {
	for _, w := range []int{30, 34, 36, 37, 38} {
		if got := WrapWords("online：由腾讯云生成私钥和 CSR；parse：上传自己的 CSR", w); !strings.Contains(got, "parse") {
			t.Fatalf("at %d: %q", w, got)
		}
	}
}
