package ui

import "github.com/godbus/dbus/v5"

// watchResume calls resumed when the computer wakes up from sleep: logind's
// PrepareForSleep(false) on the system bus. Where the system bus does not
// answer, the clock notices a resume by the jump of the wall clock instead.
// resumed runs on a goroutine of its own; stop ends the watch.
func watchResume(resumed func()) (stop func()) {
	c, err := dbus.ConnectSystemBus()
	if err != nil {
		return func() {}
	}
	const login1 = "org.freedesktop.login1"
	c.AddMatchSignal(dbus.WithMatchSender(login1), dbus.WithMatchInterface(login1+".Manager"),
		dbus.WithMatchMember("PrepareForSleep"))
	signals := make(chan *dbus.Signal, 8)
	c.Signal(signals)
	go func() {
		for s := range signals {
			if resumes(s) {
				resumed()
			}
		}
	}()
	return func() { c.Close() }
}

// resumes reports whether s says that the computer woke up.
func resumes(s *dbus.Signal) bool {
	if s.Name != "org.freedesktop.login1.Manager.PrepareForSleep" || len(s.Body) != 1 {
		return false
	}
	sleeping, ok := s.Body[0].(bool)
	return ok && !sleeping
}
