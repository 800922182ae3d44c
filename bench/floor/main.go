// Command floor is the smallest useful Fyne app: a window the size of
// Authdeck's whose one label changes once a second. bench/ui.sh measures it
// beside Authdeck as the floor that any Fyne app costs.
package main

import (
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("dev.authdeck.floor")
	w := a.NewWindow("Floor")
	label := widget.NewLabel(time.Now().Format(time.TimeOnly))
	w.SetContent(label)
	w.Resize(fyne.NewSize(420, 640))
	go func() {
		for t := range time.Tick(time.Second) {
			fyne.Do(func() { label.SetText(t.Format(time.TimeOnly)) })
		}
	}()
	if os.Getenv("FLOOR_QUIT_AFTER") != "" {
		d, _ := time.ParseDuration(os.Getenv("FLOOR_QUIT_AFTER"))
		time.AfterFunc(d, func() { fyne.Do(a.Quit) })
	}
	w.ShowAndRun()
}
