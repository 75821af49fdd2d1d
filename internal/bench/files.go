package bench

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// dirSize is the total size of the files under dir whose path (relative,
// slash-separated) passes keep; nil keeps all.
func dirSize(dir string, keep func(string) bool) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if keep != nil && !keep(filepath.ToSlash(rel)) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n += info.Size()
		return nil
	})
	return n, err
}

// sizes returns the raw and gzip -9 sizes of the files under dir. A file
// stored gzip-compressed counts its decompressed size as raw and its own
// size as gzip.
func sizes(dir string) (raw, gz int64, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return err
			}
			n, err := io.Copy(io.Discard, zr)
			if err != nil {
				return err
			}
			raw += n
			gz += int64(len(b))
			return nil
		}
		raw += int64(len(b))
		gz += gzipLen(b)
		return nil
	})
	return raw, gz, err
}

func gzipLen(b []byte) int64 {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return int64(buf.Len())
}

// copyMarkdown copies the Markdown files (and the images beside page
// bundles) of a corpus's content folder: what Hugo can build.
func copyMarkdown(from, to string) (int, error) {
	n := 0
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		if ext == ".rst" {
			return nil
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if ext == ".md" {
			n++
		}
		return os.WriteFile(dst, b, 0o644)
	})
	return n, err
}
