package termtext

import (
	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
)

// txtNotNeeded heads the keys NotNeeded lists.
var txtNotNeeded = api.Text{
	EN: "No longer needed: keys generated here for this certificate that it is not for. certwiz no longer offers them (certwiz keys lists them) and never deletes a key: delete these files once you are sure.",
	ZH: "不再需要：本机为此证书生成、但证书并非为其签发的私钥。certwiz 不再提供它们（certwiz keys 可列出），也从不删除私钥：确认无误后请自行删除这些文件。"}

// NotNeeded is what the wizard and `certwiz download` say of the keys
// generated here for a certificate now on disk with its own key, which
// certwiz has just forgotten: a heading to wrap, then each file, made
// safe, on a line of its own ("  /path/old.key"), whole; nothing when
// there is none.
func NotNeeded(paths []string, lang string) (head string, lines []string) {
	if len(paths) == 0 {
		return "", nil
	}
	for _, p := range paths {
		lines = append(lines, "  "+safe.Text(p))
	}
	return txtNotNeeded.In(lang), lines
}
