package console

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// DefaultExportDir is where pledgebot console writes exports unless
// console.exports_dir says otherwise: exports/ under the working directory.
const DefaultExportDir = "exports"

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// saveFile writes an attachment into the export directory and returns its
// absolute path. The name is reduced to a safe base name and never
// overwrites an earlier file: "-2", "-3"... are added instead.
func (c *Console) saveFile(f *bot.File) (string, error) {
	dir, err := filepath.Abs(c.ExportDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := unsafeName.ReplaceAllString(filepath.Base(f.Name), "_")
	name = strings.TrimLeft(name, ".")
	if name == "" {
		name = "export"
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		path := filepath.Join(dir, name)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = fh.Write(f.Content)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		return path, err
	}
	return "", fmt.Errorf("too many files named %s in %s", name, dir)
}
