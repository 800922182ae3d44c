// Package ntptest is a time server for tests: an SNTP responder on 127.0.0.1
// that reports the true time plus a chosen offset, so that clock checks can
// be tested without a network.
package ntptest

import (
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Server is a running responder.
type Server struct {
	// Addr is its address, "127.0.0.1:PORT".
	Addr string

	conn   net.PacketConn
	offset atomic.Int64
	// stratum is the stratum it reports: 2, unless SetStratum says otherwise.
	stratum atomic.Int32
	done    sync.WaitGroup
}

// Start starts a responder whose clock is offset from the true time: a
// positive offset is a server ahead of this computer, so that the computer's
// clock reads as that much behind.
func Start(offset time.Duration) (*Server, error) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: conn.LocalAddr().String(), conn: conn}
	s.offset.Store(int64(offset))
	s.stratum.Store(2)
	s.done.Add(1)
	go s.serve()
	return s, nil
}

// SetOffset changes the offset of the server's clock.
func (s *Server) SetOffset(d time.Duration) { s.offset.Store(int64(d)) }

// SetStratum changes the stratum it reports; 0 sends kiss-o'-death replies.
func (s *Server) SetStratum(n int) { s.stratum.Store(int32(n)) }

// Close stops the responder.
func (s *Server) Close() error {
	err := s.conn.Close()
	s.done.Wait()
	return err
}

func (s *Server) serve() {
	defer s.done.Done()
	buf := make([]byte, 512)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 48 || buf[0]&7 != 3 {
			continue
		}
		now := time.Now().Add(time.Duration(s.offset.Load()))
		var rep [48]byte
		stratum := byte(s.stratum.Load())
		rep[0] = 0<<6 | 4<<3 | 4 // no leap warning, version 4, server
		rep[1] = stratum
		rep[2], rep[3] = 6, 0xec // poll 64 s, precision about 60 ns
		copy(rep[12:16], "TEST")
		if stratum == 0 {
			copy(rep[12:16], "DENY")
		}
		copy(rep[24:32], buf[40:48]) // origin: the request's transmit time
		ts := ntpStamp(now)
		binary.BigEndian.PutUint64(rep[16:24], ts)
		binary.BigEndian.PutUint64(rep[32:40], ts)
		binary.BigEndian.PutUint64(rep[40:48], ts)
		s.conn.WriteTo(rep[:], from)
	}
}

// ntpStamp is t as a 64-bit NTP timestamp (seconds since 1900, and a
// 32-bit fraction).
func ntpStamp(t time.Time) uint64 {
	sec := uint64(t.Unix() + 2208988800)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return sec<<32 | frac
}
