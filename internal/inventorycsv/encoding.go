package inventorycsv

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding names the text encoding an upload was found in, for the
// preview to say.
type Encoding string

// The encodings an upload is read in. Excel writes "CSV UTF-8" with a BOM,
// "Unicode Text" as UTF-16 (little-endian, with a BOM), and plain "CSV" in
// the Windows code page of the machine: Windows-1252 in the Americas and
// Western Europe.
const (
	EncodingUTF8        Encoding = "UTF-8"
	EncodingUTF16LE     Encoding = "UTF-16 (little-endian)"
	EncodingUTF16BE     Encoding = "UTF-16 (big-endian)"
	EncodingWindows1252 Encoding = "Windows-1252"
)

// windows1252 are the characters of the bytes 0x80 to 0x9F in Windows-1252,
// where it differs from Latin-1; the five bytes it leaves undefined read as
// the replacement character. The bytes 0xA0 to 0xFF are Latin-1's.
var windows1252 = [32]rune{
	'€', '\uFFFD', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\uFFFD', 'Ž', '\uFFFD',
	'\uFFFD', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\uFFFD', 'ž', 'Ÿ',
}

// decode returns data as UTF-8 without a byte order mark, and the encoding
// it was found in: UTF-8 (with or without a BOM), UTF-16 by its BOM, and
// otherwise, when it is not valid UTF-8, Windows-1252, in which every byte
// is a character. ok is false for UTF-16 cut in the middle of a character.
func decode(data []byte) (text []byte, enc Encoding, ok bool) {
	switch {
	case bytes.HasPrefix(data, []byte("\uFEFF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return fromUTF16(data[2:], binary.LittleEndian, EncodingUTF16LE)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return fromUTF16(data[2:], binary.BigEndian, EncodingUTF16BE)
	}
	if utf8.Valid(data) {
		return data, EncodingUTF8, true
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, b := range data {
		switch {
		case b < 0x80:
			out = append(out, b)
		case b < 0xA0:
			out = utf8.AppendRune(out, windows1252[b-0x80])
		default:
			out = utf8.AppendRune(out, rune(b))
		}
	}
	return out, EncodingWindows1252, true
}

// fromUTF16 decodes UTF-16 in byte order order; an odd number of bytes is
// a file cut short.
func fromUTF16(data []byte, order binary.ByteOrder, enc Encoding) ([]byte, Encoding, bool) {
	if len(data)%2 != 0 {
		return nil, enc, false
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	out := make([]byte, 0, len(data))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, enc, true
}
