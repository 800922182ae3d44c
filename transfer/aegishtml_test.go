package transfer

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"authdeck/vault"
)

// genAegisHTML writes Aegis' HTML export as VaultHtmlExporter does: one
// line, a table row an account, its URI only in a QR code (a PNG in base64
// broken into lines of 76, as Android's Base64.DEFAULT writes it).
func genAegisHTML(t testing.TB, accounts []vault.Account) []byte {
	var b strings.Builder
	b.WriteString("<html><head><title>Aegis Export</title></head><body><h1>Aegis Export</h1><table><tr><th>Issuer</th><th>Name</th><th>Type</th><th>QR Code</th><th>UUID</th><th>Note</th><th>Favorite</th><th>Algo</th><th>Digits</th><th>Secret</th><th>Counter</th><th>PIN</th></tr>")
	for _, a := range accounts {
		m, err := qrcode.NewQRCodeWriter().Encode(a.URI(), gozxing.BarcodeFormat_QR_CODE, 0, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		const scale = 4
		img := image.NewGray(image.Rect(0, 0, (m.GetWidth()+8)*scale, (m.GetHeight()+8)*scale))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		for y := 0; y < m.GetHeight()*scale; y++ {
			for x := 0; x < m.GetWidth()*scale; x++ {
				if m.Get(x/scale, y/scale) {
					img.Pix[(y+4*scale)*img.Stride+x+4*scale] = 0
				}
			}
		}
		var p bytes.Buffer
		if err := png.Encode(&p, img); err != nil {
			t.Fatal(err)
		}
		enc := base64.StdEncoding.EncodeToString(p.Bytes())
		var lines []string
		for len(enc) > 76 {
			lines, enc = append(lines, enc[:76]), enc[76:]
		}
		row := func(s string) { b.WriteString("<td>" + html.EscapeString(s) + "</td>") }
		b.WriteString("<tr>")
		row(a.Issuer)
		row(a.Name)
		row(string(a.Type))
		b.WriteString(`<td class='qr'><img src="data:image/png;base64,` + strings.Join(append(lines, enc), "\n") + "\n\"/></td>")
		row(aegisUUID())
		row("")
		row("false")
		row(string(a.Algorithm))
		row(fmt.Sprint(a.Digits))
		row(a.SecretBase32())
		row("-")
		row("-")
		b.WriteString("</tr>")
	}
	b.WriteString("</table></body><style>table,td,th{border:1px solid #000}</style></html>")
	return []byte(b.String())
}

func aegisHTMLCases(t testing.TB) []genCase {
	accounts := withoutGroups(genAccounts(t))
	return []genCase{{"aegis.html", FormatAegis, "", genAegisHTML(t, accounts), accounts}}
}
