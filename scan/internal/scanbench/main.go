// Command scanbench compares Authdeck's QR decoder with zbarimg on the
// corpus of hard images. bench/scan.sh runs it:
//
//	scanbench write DIR      write the corpus images and DIR/cases.tsv
//	scanbench compare DIR    decode every image both ways, print a table
//	scanbench decode FILE... print the texts of the codes in the files
//	scanbench whole DIR      only the whole-process comparison on 4K files
//	scanbench worst DIR      write the most expensive small images
//
// compare times both decoders as whole processes, one per image: zbarimg,
// and this program's decode command (or $SCAN_CMD, for instance
// "authdeck scan"), so the Go side pays for its start-up like zbarimg does.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"authdeck/scan"
	"authdeck/scan/internal/corpus"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: scanbench write|compare DIR, or scanbench decode FILE...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "write":
		err = write(os.Args[2])
	case "compare":
		err = compare(os.Args[2])
	case "whole":
		err = wholeProcess(os.Args[2], goCommand())
	case "worst":
		err = worst(os.Args[2])
	case "decode":
		status := 0
		for _, path := range os.Args[2:] {
			texts, err := scan.DecodeFile(path)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
				status = 1
			}
			for _, t := range texts {
				fmt.Println(t)
			}
		}
		os.Exit(status)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}

// write saves every case as an image file and lists them in cases.tsv:
// name, category, file, whether it is known beyond the decoder, the texts.
func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var list bytes.Buffer
	cases := append(append(corpus.Cases(), corpus.Random(40)...), corpus.None()...)
	if err := writeWide(dir, cases); err != nil {
		return err
	}
	for _, c := range cases {
		data, ext := c.File()
		file := c.Name + "." + ext
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&list, "%s\t%s\t%s\t%v\t%s\n", c.Name, c.Category, file, c.Beyond, strings.Join(c.Want, "\t"))
	}
	return os.WriteFile(filepath.Join(dir, "cases.tsv"), list.Bytes(), 0o644)
}

type result struct {
	ok  bool
	d   time.Duration
	cpu time.Duration // user and system time of the process
}

type row struct {
	name, category string
	beyond         bool
	go_, zbar      result
}

func compare(dir string) error {
	f, err := os.Open(filepath.Join(dir, "cases.tsv"))
	if err != nil {
		return err
	}
	defer f.Close()
	goCmd := goCommand()
	var rows []row
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		name, cat, file, beyond, want := fields[0], fields[1], filepath.Join(dir, fields[2]), fields[3] == "true", fields[4:]
		if len(want) == 1 && want[0] == "" {
			want = nil
		}
		r := row{name: name, category: cat, beyond: beyond}
		r.go_ = run(append(slices.Clone(goCmd), file), want)
		r.zbar = run([]string{"zbarimg", "-q", "--raw", file}, want)
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	report(rows)
	return wholeProcess(dir, goCmd)
}

// goCommand returns the command that decodes on the Go side: this
// program's decode command, or $SCAN_CMD.
func goCommand() []string {
	if s := os.Getenv("SCAN_CMD"); s != "" {
		return strings.Fields(s)
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	return []string{self, "decode"}
}

// run decodes one file with a command and reports whether it printed exactly
// the wanted texts, and how long the process took.
func run(cmd []string, want []string) result {
	var out bytes.Buffer
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Stdout = &out
	start := time.Now()
	c.Run() // a non-zero exit is "nothing found"; the output says the rest
	d := time.Since(start)
	got := strings.Fields(out.String())
	slices.Sort(got)
	r := result{ok: slices.Equal(got, want), d: d}
	if ps := c.ProcessState; ps != nil {
		r.cpu = ps.UserTime() + ps.SystemTime()
	}
	return r
}

func report(rows []row) {
	var cats []string
	for _, r := range rows {
		if !slices.Contains(cats, r.category) {
			cats = append(cats, r.category)
		}
	}
	fmt.Printf("%-12s %5s | %-16s | %-16s\n", "category", "cases", "gozxing (scan)", "zbarimg")
	fmt.Printf("%-12s %5s | %-7s %8s | %-7s %8s\n", "", "", "read", "median", "read", "median")
	var all []row
	for _, cat := range append(cats, "all") {
		var rs []row
		for _, r := range rows {
			if r.category == cat || cat == "all" && r.category != "none" {
				rs = append(rs, r)
			}
		}
		if cat == "all" {
			all = rs
		}
		g, z := summary(rs, func(r row) result { return r.go_ }), summary(rs, func(r row) result { return r.zbar })
		fmt.Printf("%-12s %5d | %-7s %8s | %-7s %8s\n", cat, len(rs), g.read, g.median, z.read, z.median)
	}
	fmt.Println("\n(\"none\" holds images without a code: read means nothing was reported; \"all\" leaves them out.)")
	fmt.Println("Cases read by only one of the two, or by neither:")
	for _, r := range all {
		if r.go_.ok != r.zbar.ok || !r.go_.ok {
			note := ""
			if r.beyond {
				note = " (known to be beyond the decoder)"
			}
			fmt.Printf("  %-22s gozxing %-5v zbarimg %-5v%s\n", r.name, r.go_.ok, r.zbar.ok, note)
		}
	}
}

type stats struct{ read, median string }

func summary(rs []row, pick func(row) result) stats {
	n := 0
	var ds []time.Duration
	for _, r := range rs {
		res := pick(r)
		if res.ok {
			n++
		}
		ds = append(ds, res.d)
	}
	return stats{fmt.Sprintf("%d/%d", n, len(rs)), ms(median(ds))}
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// wholeProcess times both decoders on the 4K screenshots with a small code
// and without one, at 8 and 16 bits per sample, several runs each, taking
// turns so both see the same machine load. It gives the elapsed time and
// the processor time (user and system), which a loaded machine changes
// less.
func wholeProcess(dir string, goCmd []string) error {
	const runs = 7
	fmt.Printf("\nWhole process on 4K PNGs (3840x2160), medians of %d runs; go: %s FILE\n", runs, strings.Join(goCmd, " "))
	fmt.Printf("  %-17s | %-20s | %-20s | %s\n", "", "go: elapsed, CPU", "zbarimg: elapsed, CPU", "go/zbarimg")
	for _, name := range []string{"screen-4k.png", "screen-4k-16.png", "none-4k.png", "none-4k-16.png"} {
		file := filepath.Join(dir, name)
		var g, z []result
		for range runs {
			g = append(g, run(append(slices.Clone(goCmd), file), nil))
			z = append(z, run([]string{"zbarimg", "-q", "--raw", file}, nil))
		}
		gd, gc := medians(g)
		zd, zc := medians(z)
		fmt.Printf("  %-17s | %9s %9s | %9s %9s | %.2f elapsed, %.2f CPU\n", name,
			ms(gd), ms(gc), ms(zd), ms(zc), float64(gd)/float64(zd), float64(gc)/float64(zc))
	}
	return nil
}

// medians returns the median elapsed and processor times of the runs.
func medians(rs []result) (time.Duration, time.Duration) {
	var d, c []time.Duration
	for _, r := range rs {
		d, c = append(d, r.d), append(c, r.cpu)
	}
	return median(d), median(c)
}
