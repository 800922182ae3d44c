//go:build cgo && (linux || darwin || windows)

package scan

import (
	"fmt"
	"image"
	"image/draw"

	"github.com/pion/mediadevices"
	_ "github.com/pion/mediadevices/pkg/driver/camera" // the webcam driver
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

// OpenCamera opens the first webcam, asking for frames of about 1280 x 720.
// It returns [ErrNoCamera] if there is none, and an error wrapping
// [ErrCameraUnavailable] if it cannot be opened.
func OpenCamera() (FrameSource, error) {
	found := false
	for _, d := range mediadevices.EnumerateDevices() {
		found = found || d.Kind == mediadevices.VideoInput
	}
	if !found {
		return nil, ErrNoCamera
	}
	stream, err := mediadevices.GetUserMedia(mediadevices.MediaStreamConstraints{
		Video: func(c *mediadevices.MediaTrackConstraints) {
			c.Width = prop.Int(1280)
			c.Height = prop.Int(720)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrCameraUnavailable, err)
	}
	tracks := stream.GetVideoTracks()
	if len(tracks) == 0 {
		return nil, ErrCameraUnavailable
	}
	track, ok := tracks[0].(*mediadevices.VideoTrack)
	if !ok {
		for _, t := range tracks {
			t.Close()
		}
		return nil, ErrCameraUnavailable
	}
	return &camera{track: track, reader: track.NewReader(false)}, nil
}

// camera is a webcam read through pion/mediadevices.
type camera struct {
	track  *mediadevices.VideoTrack
	reader video.Reader
}

func (c *camera) Next() (image.Image, error) {
	img, release, err := c.reader.Read()
	if err != nil {
		return nil, err
	}
	defer release()
	return cloneImage(img), nil
}

func (c *camera) Close() error { return c.track.Close() }

// cloneImage copies a frame out of the driver's buffer, keeping YCbCr frames
// as they are so their Y plane is the grey image.
func cloneImage(img image.Image) image.Image {
	if y, ok := img.(*image.YCbCr); ok {
		c := *y
		c.Y = append([]byte(nil), y.Y...)
		c.Cb = append([]byte(nil), y.Cb...)
		c.Cr = append([]byte(nil), y.Cr...)
		return &c
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}
