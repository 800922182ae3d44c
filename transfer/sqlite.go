package transfer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
)

// A reader of one table of an SQLite database file (the format documented
// at sqlite.org/fileformat2.html), enough for the databases authenticator
// apps keep on Android: it walks a table's B-tree, follows overflow pages and
// decodes records. It reads UTF-8 databases only, and only what was written
// into the main file: changes still in a -wal file beside it are not seen.
// Every page is visited at most once, so a damaged or hostile file ends.

const sqliteMagic = "SQLite format 3\x00"

var errSQLiteDamaged = errors.New("the database is damaged or truncated")

// sqliteDB is a database file held in memory.
type sqliteDB struct {
	data     []byte
	pageSize int
	usable   int
}

func openSQLite(data []byte) (*sqliteDB, error) {
	if len(data) < 100 || !bytes.HasPrefix(data, []byte(sqliteMagic)) {
		return nil, errors.New("not an SQLite database")
	}
	size := int(binary.BigEndian.Uint16(data[16:]))
	if size == 1 {
		size = 65536
	}
	if size < 512 || size&(size-1) != 0 {
		return nil, errSQLiteDamaged
	}
	usable := size - int(data[20])
	if usable < 480 {
		return nil, errSQLiteDamaged
	}
	if enc := binary.BigEndian.Uint32(data[56:]); enc != 0 && enc != 1 {
		return nil, errors.New("the database's text is in UTF-16, which Authdeck does not read")
	}
	return &sqliteDB{data: data, pageSize: size, usable: usable}, nil
}

// page returns page n (from 1), or nil if the file does not have it.
func (db *sqliteDB) page(n uint32) []byte {
	off := (int64(n) - 1) * int64(db.pageSize)
	if n == 0 || off+int64(db.pageSize) > int64(len(db.data)) {
		return nil
	}
	return db.data[off : off+int64(db.pageSize)]
}

// sqliteRow is one row: its rowid and its values (int64, float64, string,
// []byte or nil).
type sqliteRow struct {
	rowid  int64
	values []any
}

// table returns the column names and rows of the table called name.
func (db *sqliteDB) table(name string) ([]string, []sqliteRow, error) {
	master, err := db.rows(1)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range master {
		if len(r.values) < 5 || r.values[0] != "table" || !strings.EqualFold(fmt.Sprint(r.values[1]), name) {
			continue
		}
		root, ok := r.values[3].(int64)
		sql, _ := r.values[4].(string)
		if !ok || root < 1 || root > math.MaxUint32 {
			return nil, nil, errSQLiteDamaged
		}
		rows, err := db.rows(uint32(root))
		return sqliteColumns(sql), rows, err
	}
	return nil, nil, fmt.Errorf("the database has no %s table", name)
}

// rows returns every row of the table B-tree whose root is page root.
func (db *sqliteDB) rows(root uint32) ([]sqliteRow, error) {
	var out []sqliteRow
	seen := map[uint32]bool{}
	var walk func(n uint32) error
	walk = func(n uint32) error {
		p := db.page(n)
		if p == nil || seen[n] {
			return errSQLiteDamaged
		}
		seen[n] = true
		h := 0
		if n == 1 {
			h = 100
		}
		if len(p) < h+12 {
			return errSQLiteDamaged
		}
		kind, cells := p[h], int(binary.BigEndian.Uint16(p[h+3:]))
		ptrs := h + 8
		if kind == 0x05 {
			ptrs = h + 12
		} else if kind != 0x0d {
			return errSQLiteDamaged
		}
		if ptrs+2*cells > len(p) {
			return errSQLiteDamaged
		}
		for i := 0; i < cells; i++ {
			off := int(binary.BigEndian.Uint16(p[ptrs+2*i:]))
			if off >= len(p) {
				return errSQLiteDamaged
			}
			if kind == 0x05 {
				if off+4 > len(p) {
					return errSQLiteDamaged
				}
				if err := walk(binary.BigEndian.Uint32(p[off:])); err != nil {
					return err
				}
				continue
			}
			if len(out) >= MaxImportEntries {
				return fmt.Errorf("the table holds more than the %d rows Authdeck reads", MaxImportEntries)
			}
			row, err := db.leafCell(p, off)
			if err != nil {
				return err
			}
			out = append(out, row)
		}
		if kind == 0x05 {
			return walk(binary.BigEndian.Uint32(p[h+8:]))
		}
		return nil
	}
	return out, walk(root)
}

// leafCell reads the cell at off of a table leaf page p.
func (db *sqliteDB) leafCell(p []byte, off int) (sqliteRow, error) {
	size, n := sqliteVarint(p[off:])
	if n == 0 {
		return sqliteRow{}, errSQLiteDamaged
	}
	off += n
	rowid, n := sqliteVarint(p[off:])
	if n == 0 || size > MaxImportSize {
		return sqliteRow{}, errSQLiteDamaged
	}
	off += n
	total := int(size)
	local := total
	u := db.usable
	if maxLocal := u - 35; total > maxLocal {
		minLocal := (u-12)*32/255 - 23
		local = minLocal + (total-minLocal)%(u-4)
		if local > maxLocal {
			local = minLocal
		}
	}
	if off+local > len(p) {
		return sqliteRow{}, errSQLiteDamaged
	}
	payload := append([]byte(nil), p[off:off+local]...)
	if local < total {
		if off+local+4 > len(p) {
			return sqliteRow{}, errSQLiteDamaged
		}
		next := binary.BigEndian.Uint32(p[off+local:])
		seen := map[uint32]bool{}
		for len(payload) < total {
			op := db.page(next)
			if op == nil || seen[next] {
				return sqliteRow{}, errSQLiteDamaged
			}
			seen[next] = true
			take := min(total-len(payload), u-4)
			payload = append(payload, op[4:4+take]...)
			next = binary.BigEndian.Uint32(op)
		}
	}
	values, err := sqliteRecord(payload)
	return sqliteRow{rowid: int64(rowid), values: values}, err
}

// sqliteRecord decodes a record: a header of serial types, then the values.
func sqliteRecord(b []byte) ([]any, error) {
	hlen, n := sqliteVarint(b)
	if n == 0 || hlen > uint64(len(b)) || hlen < uint64(n) {
		return nil, errSQLiteDamaged
	}
	header, body := b[n:hlen], b[hlen:]
	var values []any
	for len(header) > 0 {
		t, n := sqliteVarint(header)
		if n == 0 {
			return nil, errSQLiteDamaged
		}
		header = header[n:]
		var size int
		switch {
		case t <= 4:
			size = int(t)
		case t == 5:
			size = 6
		case t == 6 || t == 7:
			size = 8
		case t == 8 || t == 9:
		case t >= 12:
			size = int((t - 12) / 2)
		default:
			return nil, errSQLiteDamaged
		}
		if size < 0 || size > len(body) {
			return nil, errSQLiteDamaged
		}
		v := body[:size]
		body = body[size:]
		switch {
		case t == 0:
			values = append(values, nil)
		case t <= 6:
			var x int64
			if len(v) > 0 && v[0]&0x80 != 0 {
				x = -1
			}
			for _, c := range v {
				x = x<<8 | int64(c)
			}
			values = append(values, x)
		case t == 7:
			values = append(values, math.Float64frombits(binary.BigEndian.Uint64(v)))
		case t == 8, t == 9:
			values = append(values, int64(t-8))
		case t%2 == 0:
			values = append(values, append([]byte(nil), v...))
		default:
			values = append(values, string(v))
		}
	}
	return values, nil
}

// sqliteVarint reads SQLite's big-endian varint of 1 to 9 bytes; n is 0 if
// b ends first.
func sqliteVarint(b []byte) (v uint64, n int) {
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// sqliteColumns returns the column names of a CREATE TABLE statement.
func sqliteColumns(sql string) []string {
	open, end := strings.IndexByte(sql, '('), strings.LastIndexByte(sql, ')')
	if open < 0 || end < open {
		return nil
	}
	var cols []string
	depth, start := 0, open+1
	body := sql[:end]
	for i := open + 1; i <= len(body); i++ {
		if i < len(body) {
			switch body[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		def := strings.TrimSpace(body[start:i])
		start = i + 1
		word := strings.Fields(def + " ")[0]
		switch strings.ToUpper(word) {
		case "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT":
			continue
		}
		cols = append(cols, strings.Trim(word, "`\"[]'"))
	}
	return cols
}

// sqliteText returns column col of row as text ("" for NULL), and whether the
// table has it.
func sqliteValue(cols []string, row sqliteRow, col string) any {
	for i, c := range cols {
		if strings.EqualFold(c, col) {
			if i < len(row.values) {
				return row.values[i]
			}
			return nil
		}
	}
	return nil
}

func sqliteText(cols []string, row sqliteRow, col string) string {
	switch v := sqliteValue(cols, row, col).(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case int64:
		return fmt.Sprint(v)
	}
	return ""
}

func sqliteInt(cols []string, row sqliteRow, col string) int64 {
	switch v := sqliteValue(cols, row, col).(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

// sqliteFormat tells the Google Authenticator database from Microsoft
// Authenticator's.
func sqliteFormat(data []byte) (Format, error) {
	db, err := openSQLite(data)
	if err != nil {
		return "", importErr(FormatAuto, "%v", err)
	}
	cols, _, err := db.table("accounts")
	if err != nil {
		return "", ErrUnknownFormat
	}
	has := func(name string) bool {
		for _, c := range cols {
			if strings.EqualFold(c, name) {
				return true
			}
		}
		return false
	}
	switch {
	case has("oath_secret_key"):
		return FormatMicrosoft, nil
	case has("email") && has("secret"):
		return FormatGoogleDB, nil
	}
	return "", ErrUnknownFormat
}
