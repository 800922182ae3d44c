package scan

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os/exec"
	"slices"
	"testing"

	"authdeck/internal/testenv"
	"authdeck/scan/internal/corpus"
	"authdeck/vault"
)

// transferCodes returns a Google Authenticator transfer of n accounts, one
// account a code.
func transferCodes(t testing.TB, n int) []string {
	var accounts []vault.Account
	for i := range n {
		accounts = append(accounts, must(t, fmt.Sprintf("otpauth://totp/Service%d:user%d@example.com?secret=JBSWY3DPEHPK3PX%c&issuer=Service%d", i, i, 'A'+i, i)))
	}
	codes := EncodeMigration(accounts, 1)
	if len(codes) != n {
		t.Fatalf("EncodeMigration gave %d codes, want %d", len(codes), n)
	}
	return codes
}

// TestDecodeEveryCode checks that every code in an image is found: codes
// side by side, light and dark, large and small.
func TestDecodeEveryCode(t *testing.T) {
	black, white := color.Gray{0}, color.Gray{255}
	codes := transferCodes(t, 2)
	r := newRand()
	type code struct {
		text         string
		x, y, module float64
		dark, light  color.Gray
	}
	for _, c := range []struct {
		name  string
		w, h  int
		codes []code
	}{
		// Two phone screenshots of "Transfer accounts" side by side on a
		// desktop, at a scale that blurs module edges.
		{"transfer side by side", 1920, 1080, []code{{codes[0], 700, 540, 4.6, black, white}, {codes[1], 1220, 540, 4.6, black, white}}},
		{"touching", 1600, 900, []code{{codes[0], 580, 450, 5, black, white}, {codes[1], 1020, 450, 5, black, white}}},
		{"dark and light", 1600, 900, []code{{corpus.Short, 400, 450, 5, black, white}, {corpus.HOTP, 1200, 450, 5, white, black}}},
		{"large and small", 1600, 900, []code{{corpus.Long, 500, 450, 10, black, white}, {corpus.Short, 1350, 450, 3, black, white}}},
		{"four", 1920, 1080, []code{
			{codes[0], 450, 300, 3, black, white}, {codes[1], 1450, 300, 4, black, white},
			{corpus.Short, 450, 800, 6, white, black}, {corpus.HOTP, 1450, 800, 3, black, white},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			img := corpus.Screenshot(r, c.w, c.h, false)
			var want []string
			for _, k := range c.codes {
				corpus.Place(img, k.text, k.x, k.y, k.module, 0, k.dark, k.light)
				want = append(want, k.text)
			}
			slices.Sort(want)
			got, err := DecodeReader(bytes.NewReader(encodePNG(t, img)))
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("found %d codes, %v, want %d:\n%q", len(got), err, len(want), got)
			}
		})
	}
}

// TestDecodeQrencode reads codes that another encoder made: qrencode's, two
// side by side, the second light on dark.
func TestDecodeQrencode(t *testing.T) {
	qrencode := testenv.Tool(t, "qrencode", "qrencode")
	codes := transferCodes(t, 2)
	var imgs []image.Image
	for i, text := range codes {
		args := []string{"-o", "-", "-s", "4", "-m", "4", text}
		if i == 1 {
			args = append([]string{"--foreground=FFFFFF", "--background=000000"}, args...)
		}
		out, err := exec.Command(qrencode, args...).Output()
		if err != nil {
			t.Fatalf("qrencode: %v", err)
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	b0, b1 := imgs[0].Bounds(), imgs[1].Bounds()
	both := image.NewRGBA(image.Rect(0, 0, b0.Dx()+b1.Dx(), max(b0.Dy(), b1.Dy())))
	draw.Draw(both, both.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(both, b0, imgs[0], image.Point{}, draw.Src)
	draw.Draw(both, b1.Add(image.Pt(b0.Dx(), 0)), imgs[1], image.Point{}, draw.Src)
	got, err := DecodeReader(bytes.NewReader(encodePNG(t, both)))
	want := slices.Sorted(slices.Values(codes))
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("found %q, %v, want both codes", got, err)
	}
}

// TestTransferInOneImage reads a Google Authenticator transfer split over
// three codes that all stand in one screenshot: its codes gather as one
// complete transfer.
func TestTransferInOneImage(t *testing.T) {
	codes := transferCodes(t, 3)
	img := corpus.Screenshot(newRand(), 1920, 1080, false)
	for i, text := range codes {
		corpus.Place(img, text, 400+float64(i)*560, 540, 4, 0, color.Gray{0}, color.Gray{255})
	}
	texts, err := DecodeReader(bytes.NewReader(encodePNG(t, img)))
	if err != nil {
		t.Fatal(err)
	}
	var batch Batch
	for _, text := range texts {
		m, err := ParseMigration(text)
		if err != nil {
			t.Fatal(err)
		}
		if err := batch.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	if !batch.Complete() || len(batch.Accounts()) != 3 {
		t.Errorf("batch %s with %d accounts, want all 3 codes and 3 accounts", batch.String(), len(batch.Accounts()))
	}
}
