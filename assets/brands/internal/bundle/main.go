// Command bundle writes Authdeck's brand icon bundle from an unpacked copy of
// npm's simple-icons package: bundle.zip (an index and one path per icon),
// LICENSE and NOTICE.md. scripts/icons runs it.
//
//	go run ./assets/brands/internal/bundle -src node_modules/simple-icons -out assets/brands
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// simpleIcon is one entry of simple-icons' data/simple-icons.json.
type simpleIcon struct {
	Title   string `json:"title"`
	Slug    string `json:"slug"`
	Hex     string `json:"hex"`
	License *struct {
		Type string `json:"type"`
	} `json:"license"`
	Aliases struct {
		Aka []string          `json:"aka"`
		Old []string          `json:"old"`
		Loc map[string]string `json:"loc"`
		Dup []struct {
			Title string `json:"title"`
		} `json:"dup"`
	} `json:"aliases"`
}

var (
	slugRE = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)
	hexRE  = regexp.MustCompile(`^[0-9A-Fa-f]{6}$`)
	pathRE = regexp.MustCompile(`^<svg role="img" viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg"><title>[^<]*</title><path d="([^"]+)"/></svg>\s*$`)
)

// reserved are icon names the vault gives another meaning (vault.IconLetter).
var reserved = map[string]bool{"letter": true, "custom": true}

func main() {
	src := flag.String("src", "", "the unpacked simple-icons package")
	out := flag.String("out", "assets/brands", "the folder to write bundle.zip, LICENSE and NOTICE.md into")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	if src == "" {
		return errors.New("-src is required")
	}
	var pkg struct {
		Version string `json:"version"`
		License string `json:"license"`
	}
	if err := readJSON(filepath.Join(src, "package.json"), &pkg); err != nil {
		return err
	}
	if pkg.License != "CC0-1.0" {
		return fmt.Errorf("simple-icons %s is licensed %q, not CC0-1.0: check before bundling", pkg.Version, pkg.License)
	}
	var icons []simpleIcon
	if err := readJSON(filepath.Join(src, "data", "simple-icons.json"), &icons); err != nil {
		return err
	}
	var index strings.Builder
	fmt.Fprintf(&index, "# simple-icons %s\n", pkg.Version)
	paths := map[string]string{}
	var excluded []string
	for _, ic := range icons {
		// An icon with a licence of its own other than CC0 (CC BY, GPL, a
		// brand's custom terms...) would bring conditions into the app: leave it out.
		if ic.License != nil && ic.License.Type != "CC0-1.0" {
			excluded = append(excluded, fmt.Sprintf("%s (%s)", ic.Title, ic.License.Type))
			continue
		}
		if !slugRE.MatchString(ic.Slug) || reserved[ic.Slug] {
			return fmt.Errorf("icon %q: unexpected slug", ic.Slug)
		}
		if !hexRE.MatchString(ic.Hex) {
			return fmt.Errorf("icon %q: unexpected colour %q", ic.Slug, ic.Hex)
		}
		svg, err := os.ReadFile(filepath.Join(src, "icons", ic.Slug+".svg"))
		if err != nil {
			return err
		}
		m := pathRE.FindSubmatch(svg)
		if m == nil {
			return fmt.Errorf("icon %q: not one path in a 24x24 box", ic.Slug)
		}
		d, err := normalizePath(string(m[1]))
		if err != nil {
			return fmt.Errorf("icon %q: %w", ic.Slug, err)
		}
		paths[ic.Slug] = d
		names := append([]string{}, ic.Aliases.Aka...)
		names = append(names, ic.Aliases.Old...)
		for _, d := range ic.Aliases.Dup {
			names = append(names, d.Title)
		}
		locs := make([]string, 0, len(ic.Aliases.Loc))
		for _, l := range ic.Aliases.Loc {
			locs = append(locs, l)
		}
		sort.Strings(locs)
		names = append(names, locs...)
		for _, f := range append([]string{ic.Title}, names...) {
			if strings.ContainsAny(f, "\t\n|") {
				return fmt.Errorf("icon %q: a name holds a tab, newline or |: %q", ic.Slug, f)
			}
		}
		fmt.Fprintf(&index, "%s\t%s\t%s\t%s\n", ic.Slug, strings.ToUpper(ic.Hex), ic.Title, strings.Join(names, "|"))
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	add := func(name, data string) error {
		// A fixed time keeps the bundle byte for byte the same for the same package.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, data)
		return err
	}
	if err := add("index.tsv", index.String()); err != nil {
		return err
	}
	slugs := make([]string, 0, len(paths))
	for s := range paths {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	for _, s := range slugs {
		if err := add(s, paths[s]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "bundle.zip"), buf.Bytes(), 0o644); err != nil {
		return err
	}

	licence, err := os.ReadFile(filepath.Join(src, "LICENSE.md"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "LICENSE"), licence, 0o644); err != nil {
		return err
	}
	disclaimer, err := os.ReadFile(filepath.Join(src, "DISCLAIMER.md"))
	if err != nil {
		return err
	}
	var notice strings.Builder
	fmt.Fprintf(&notice, `# Brand icons in Authdeck

Authdeck's tiles show brand icons from Simple Icons %s (https://simpleicons.org,
npm package simple-icons), released under CC0 1.0 Universal (see LICENSE next to
this file). Authdeck bundles %d of its %d icons: those without a licence of their
own other than CC0. The %d left out are listed at the end.

The icons are trademarks of their owners. Authdeck shows a brand's icon only to
help you recognise your own account for that brand's service; it implies no
endorsement, and it never sends an issuer or fetches an icon from anywhere.
Simple Icons' disclaimer follows.

`, pkg.Version, len(slugs), len(icons), len(excluded))
	notice.Write(bytes.TrimSpace(disclaimer))
	notice.WriteString("\n\n## Icons left out for their licences\n\n")
	for _, e := range excluded {
		notice.WriteString("- " + e + "\n")
	}
	if err := os.WriteFile(filepath.Join(out, "NOTICE.md"), []byte(notice.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("simple-icons %s: %d icons bundled, %d left out for their licences, bundle.zip %d bytes\n",
		pkg.Version, len(slugs), len(excluded), buf.Len())
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
