package vault

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Clock checks: codes depend on the computer's clock, so Authdeck asks a time
// server (SNTP, RFC 4330) how far off it is, and can correct its own codes by
// the offset until the clock is fixed.

// DefaultTimeServer is the time server asked unless the preferences name another.
const DefaultTimeServer = "pool.ntp.org"

// ClockTolerance is how far the clock may be off before Authdeck warns:
// services accept a code one 30 s step early or late, so 10 s is safe.
const ClockTolerance = 10 * time.Second

// ClockCheckEvery is how often the window checks the clock while it runs.
const ClockCheckEvery = 4 * time.Hour

// Errors of a clock check that callers branch on.
var (
	// ErrTimeServerUnreachable means no answer came from the time server:
	// offline, a name that does not resolve, or a timeout.
	ErrTimeServerUnreachable = errors.New("cannot reach the time server")
	// ErrTimeServerReply means an answer came that cannot be trusted: not an
	// NTP server reply, to another request, or a server that is not
	// synchronised itself or asks to be left alone.
	ErrTimeServerReply = errors.New("the time server's reply is not usable")
)

// TimeServer returns the time server the preferences name, or [DefaultTimeServer].
func (p Prefs) TimeServer() string {
	if s := strings.TrimSpace(p.ClockServer); s != "" {
		return s
	}
	return DefaultTimeServer
}

// SyncState is what the operating system says about its clock.
type SyncState int

// The states of the system clock.
const (
	// SyncUnknown means the system was not asked or could not say (not
	// Linux, or no timedated).
	SyncUnknown SyncState = iota
	// Synchronized means the system keeps its clock synchronised by NTP.
	Synchronized
	// NotSynchronized means the system says its clock is not synchronised.
	NotSynchronized
)

// ClockReading is the outcome of one clock check.
type ClockReading struct {
	// Server is the address that answered.
	Server string
	// Offset is how far the computer's clock is behind the server's: +42 s
	// means the computer shows a time 42 s too early; negative means ahead.
	Offset time.Duration
	// Delay is the round trip to the server.
	Delay time.Duration
	// At is the computer's time when the answer came.
	At time.Time
	// System is what the operating system says of its clock (timedated's
	// NTPSynchronized on Linux).
	System SyncState
}

// Off reports whether the clock is off by more than [ClockTolerance].
func (r ClockReading) Off() bool {
	return r.Offset > ClockTolerance || r.Offset < -ClockTolerance
}

// ClockOptions are the knobs of [CheckClock].
type ClockOptions struct {
	// Server is a host name or address, with an optional port (default 123);
	// empty means [DefaultTimeServer].
	Server string
	// Timeout bounds the whole check; zero means 3 s.
	Timeout time.Duration
	// Now is the computer's clock being checked; nil means time.Now.
	Now func() time.Time
	// System asks the operating system whether it keeps its clock
	// synchronised; nil means [SystemClockSync].
	System func(context.Context) (SyncState, error)
}

// CheckClock asks a time server how far the computer's clock is off, and the
// operating system whether it keeps the clock synchronised. Its errors wrap
// [ErrTimeServerUnreachable] or [ErrTimeServerReply].
func CheckClock(ctx context.Context, opts ClockOptions) (ClockReading, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 3 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.System == nil {
		opts.System = SystemClockSync
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	addr := serverAddr(opts.Server)
	r, err := querySNTP(ctx, addr, opts.Now)
	if err != nil {
		return ClockReading{}, err
	}
	// What the system says is a hint; a system that cannot say leaves it unknown.
	r.System, _ = opts.System(ctx)
	return r, nil
}

// serverAddr adds NTP's port to a server without one.
func serverAddr(server string) string {
	server = strings.TrimSpace(server)
	if server == "" {
		server = DefaultTimeServer
	}
	if _, _, err := net.SplitHostPort(server); err == nil {
		return server
	}
	return net.JoinHostPort(strings.Trim(server, "[]"), "123")
}

// querySNTP sends one SNTP request to addr and reads the reply.
func querySNTP(ctx context.Context, addr string, now func() time.Time) (ClockReading, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return ClockReading{}, fmt.Errorf("%w %s: %v", ErrTimeServerUnreachable, addr, err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	// The request carries a random transmit time, which the reply must echo:
	// an answer to anything else is not to this request.
	var req [ntpPacketLen]byte
	req[0] = 0<<6 | 4<<3 | 3 // no leap warning, version 4, client
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return ClockReading{}, err
	}
	copy(req[40:], nonce[:])
	t1 := now()
	if _, err := conn.Write(req[:]); err != nil {
		return ClockReading{}, fmt.Errorf("%w %s: %v", ErrTimeServerUnreachable, addr, err)
	}
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	t4 := now()
	if err != nil {
		return ClockReading{}, fmt.Errorf("%w %s: %v", ErrTimeServerUnreachable, addr, err)
	}
	rep, err := parseNTPReply(buf[:n], binary.BigEndian.Uint64(nonce[:]), t1)
	if err != nil {
		return ClockReading{}, fmt.Errorf("%w (%s): %v", ErrTimeServerReply, addr, err)
	}
	// RFC 4330's offset and round trip from the four times.
	t2, t3 := rep.receive, rep.transmit
	offset := (t2.Sub(t1) + t3.Sub(t4)) / 2
	delay := max(0, t4.Sub(t1)-t3.Sub(t2))
	return ClockReading{Server: conn.RemoteAddr().String(), Offset: offset, Delay: delay, At: t4}, nil
}

const ntpPacketLen = 48

// ntpReply is what Authdeck uses of a server's reply.
type ntpReply struct {
	stratum           uint8
	receive, transmit time.Time
}

// parseNTPReply checks and reads an SNTP server reply to the request whose
// transmit timestamp was origin, sent at local time sent (which picks the
// NTP era of the timestamps).
func parseNTPReply(b []byte, origin uint64, sent time.Time) (ntpReply, error) {
	if len(b) < ntpPacketLen {
		return ntpReply{}, fmt.Errorf("%d bytes, want at least %d", len(b), ntpPacketLen)
	}
	leap, version, mode := b[0]>>6, b[0]>>3&7, b[0]&7
	if mode != 4 {
		return ntpReply{}, fmt.Errorf("mode %d, not a server reply", mode)
	}
	if version < 1 || version > 4 {
		return ntpReply{}, fmt.Errorf("NTP version %d", version)
	}
	stratum := b[1]
	if stratum == 0 {
		return ntpReply{}, fmt.Errorf("the server declined (kiss code %q)", strings.TrimRight(string(b[12:16]), "\x00"))
	}
	if leap == 3 || stratum > 15 {
		return ntpReply{}, errors.New("the server's own clock is not synchronised")
	}
	if got := binary.BigEndian.Uint64(b[24:32]); got != origin {
		return ntpReply{}, errors.New("the reply is not to this request")
	}
	rx, tx := binary.BigEndian.Uint64(b[32:40]), binary.BigEndian.Uint64(b[40:48])
	if rx == 0 || tx == 0 {
		return ntpReply{}, errors.New("the reply has no time")
	}
	return ntpReply{stratum: stratum, receive: ntpTime(rx, sent), transmit: ntpTime(tx, sent)}, nil
}

// ntpEpoch is the start of NTP era 0, 1900-01-01, in Unix seconds.
const ntpEpoch = -2208988800

// ntpTime converts a 64-bit NTP timestamp to a time, in the 136-year NTP era
// that puts it nearest to near.
func ntpTime(ts uint64, near time.Time) time.Time {
	sec, frac := int64(ts>>32), ts&0xffffffff
	const era = 1 << 32
	base := near.Unix() - ntpEpoch
	// The era that puts ts nearest to near: floor((base-sec)/era + 1/2).
	x := base - sec + era/2
	e := x / era
	if x%era < 0 {
		e--
	}
	unix := sec + e*era + ntpEpoch
	return time.Unix(unix, int64(frac*1e9>>32))
}
