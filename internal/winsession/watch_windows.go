package winsession

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32     = windows.NewLazySystemDLL("user32.dll")
	wtsapi32   = windows.NewLazySystemDLL("wtsapi32.dll")
	kernel32   = windows.NewLazySystemDLL("kernel32.dll")
	registerEx = user32.NewProc("RegisterClassExW")
	createEx   = user32.NewProc("CreateWindowExW")
	defProc    = user32.NewProc("DefWindowProcW")
	destroy    = user32.NewProc("DestroyWindow")
	getMessage = user32.NewProc("GetMessageW")
	dispatch   = user32.NewProc("DispatchMessageW")
	postMsg    = user32.NewProc("PostMessageW")
	postQuit   = user32.NewProc("PostQuitMessage")
	register   = wtsapi32.NewProc("WTSRegisterSessionNotification")
	unregister = wtsapi32.NewProc("WTSUnRegisterSessionNotification")
	moduleOf   = kernel32.NewProc("GetModuleHandleW")
)

// Messages and their codes, from WinUser.h and WtsApi32.h.
const (
	wmDestroy            = 0x0002
	wmClose              = 0x0010
	wmPowerBroadcast     = 0x0218
	wmSessionChange      = 0x02B1
	pbtSuspend           = 0x0004 // PBT_APMSUSPEND
	wtsSessionLock       = 0x0007 // WTS_SESSION_LOCK
	notifyForThisSession = 0
)

type wndClassEx struct {
	size, style         uint32
	wndProc             uintptr
	clsExtra, wndExtra  int32
	instance, icon      uintptr
	cursor, background  uintptr
	menuName, className *uint16
	smallIcon           uintptr
}

type msg struct {
	hwnd           uintptr
	message        uint32
	wParam, lParam uintptr
	time           uint32
	x, y           int32
	private        uint32
}

// The window procedure is made once: Windows keeps callbacks for the life of
// the process.
var (
	proc  = windows.NewCallback(wndProc)
	onOff func() // lock, of the one watch running
)

func wndProc(hwnd, message, wParam, lParam uintptr) uintptr {
	switch message {
	case wmSessionChange:
		if wParam == wtsSessionLock && onOff != nil {
			onOff()
		}
	case wmPowerBroadcast:
		if wParam == pbtSuspend && onOff != nil {
			onOff()
		}
	case wmClose:
		unregister.Call(hwnd)
		destroy.Call(hwnd)
		return 0
	case wmDestroy:
		postQuit.Call(0)
		return 0
	}
	r, _, _ := defProc.Call(hwnd, message, wParam, lParam)
	return r
}

// Watch calls lock, on a goroutine of its own, when the session locks (the
// user pressed Win+L, or the screen saver locked it) and before the
// computer sleeps. stop ends the watch. One watch runs at a time.
func Watch(lock func()) (stop func(), err error) {
	ready := make(chan error, 1)
	var hwnd uintptr
	go func() {
		// A window belongs to the thread that made it, which must also
		// run its message loop.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		instance, _, _ := moduleOf.Call(0)
		name, _ := windows.UTF16PtrFromString("AuthdeckSessionWatch")
		wc := wndClassEx{wndProc: proc, instance: instance, className: name}
		wc.size = uint32(unsafe.Sizeof(wc))
		registerEx.Call(uintptr(unsafe.Pointer(&wc))) // fails harmlessly when registered before
		h, _, cerr := createEx.Call(0, uintptr(unsafe.Pointer(name)), 0, 0, 0, 0, 0, 0, 0, 0, instance, 0)
		if h == 0 {
			ready <- fmt.Errorf("cannot make the session watch's window: %w", cerr)
			return
		}
		if ok, _, rerr := register.Call(h, notifyForThisSession); ok == 0 {
			destroy.Call(h)
			ready <- fmt.Errorf("cannot register for session notifications: %w", rerr)
			return
		}
		hwnd, onOff = h, lock
		ready <- nil
		var m msg
		for {
			r, _, _ := getMessage.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
			if r == 0 || int32(r) == -1 {
				return
			}
			dispatch.Call(uintptr(unsafe.Pointer(&m)))
		}
	}()
	if err := <-ready; err != nil {
		return nil, err
	}
	return func() { postMsg.Call(hwnd, wmClose, 0, 0) }, nil
}
