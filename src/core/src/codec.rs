//! LEB128 variable-length integers: the binary parts of a bundle (postings, positions) are runs of them.
//! Small numbers, which deltas between sorted ids mostly are, take one byte. And base64, for binary carried
//! inside JSON (the logo's `data:` URL, a small segment's root pages in its descriptor).

pub fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Why a binary part of a bundle (a term block, a block of the outlet column or of related lists) does not
/// decode. Its bytes come from the network: each decoder checks what it reads and says what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes end inside a value, or a number is written longer or larger than a u32.
    Truncated { inside: &'static str },
    /// A count larger than the bytes left could hold, or than the format allows.
    TooMany { what: &'static str, count: u64, limit: u64 },
    /// A number past what it may be: an outlet past the segment's list, a document past the segment.
    OutOfRange { what: &'static str, value: u32, limit: u32 },
    /// Keys out of order, not UTF-8, or sharing more bytes than the key before them has.
    BadKey { why: &'static str },
    /// Bytes left after the last value.
    TrailingBytes { count: usize },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Truncated { inside } => write!(f, "the bytes end inside {inside}, or hold a number too large"),
            DecodeError::TooMany { what, count, limit } => write!(f, "{count} {what}, more than the {limit} possible"),
            DecodeError::OutOfRange { what, value, limit } => write!(f, "{what} {value}, past {limit}"),
            DecodeError::BadKey { why } => write!(f, "a key {why}"),
            DecodeError::TrailingBytes { count } => write!(f, "{count} bytes after the last value"),
        }
    }
}

/// Reads varints from a byte slice; a truncated or overlong number ends the reading with `None`.
pub struct VarintReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> VarintReader<'a> {
    pub fn new(bytes: &'a [u8]) -> VarintReader<'a> {
        VarintReader { bytes, at: 0 }
    }

    pub fn read(&mut self) -> Option<u32> {
        // Most numbers of a posting or positions list (gaps, counts) fit in one byte: read them without the loop.
        let &first = self.bytes.get(self.at)?;
        if first & 0x80 == 0 {
            self.at += 1;
            return Some(u32::from(first));
        }
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            // The fifth byte may only carry the top four bits of a u32; more would be silently lost.
            if shift == 28 && byte & 0x70 != 0 {
                return None;
            }
            // A last byte of zero after the first adds nothing: the same number written longer than
            // `write_varint` writes it, which no bundle holds.
            if shift > 0 && byte == 0 {
                return None;
            }
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// Moves past `count` numbers without decoding them (a phrase's positions in documents it does not ask
    /// about); `false` if the bytes end first. Each byte without its high bit ends a number, so eight bytes
    /// at a time are passed over while at least eight numbers are left, which eight bytes cannot overshoot.
    /// Numbers passed over are not checked: nothing reads them.
    pub fn skip(&mut self, mut count: usize) -> bool {
        while count >= 8 {
            let Some(chunk) = self.bytes.get(self.at..self.at + 8) else { break };
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            count -= (!word & 0x8080_8080_8080_8080).count_ones() as usize;
            self.at += 8;
        }
        while count > 0 {
            let Some(&byte) = self.bytes.get(self.at) else { return false };
            self.at += 1;
            if byte & 0x80 == 0 {
                count -= 1;
            }
        }
        true
    }

    pub fn read_byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    /// The next `len` bytes, or `None` when fewer remain.
    pub fn read_slice(&mut self, len: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(slice)
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    /// How many bytes have been read.
    pub fn position(&self) -> usize {
        self.at
    }

    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

const BASE64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let triple = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64_ALPHABET[(triple >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of standard padded base64, or `None` for anything [`base64_encode`] would not have written
/// (another length, a letter outside the alphabet, padding elsewhere than at the end, or bits left over in
/// the last letter): the text comes from the network.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    // Each letter's value, or 64 for a byte outside the alphabet: a table, since descriptors carry tens of KB
    // of it and the app's thread reads them.
    let mut values = [64u8; 256];
    for (at, &letter) in BASE64_ALPHABET.iter().enumerate() {
        values[letter as usize] = at as u8;
    }
    let value = |letter: u8| Some(u32::from(values[letter as usize])).filter(|&v| v < 64);
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for (number, quad) in text.chunks_exact(4).enumerate() {
        let last = number + 1 == text.len() / 4;
        let padding = quad.iter().rev().take_while(|&&letter| letter == b'=').count();
        if padding > 2 || (padding > 0 && !last) {
            return None;
        }
        let mut triple = 0u32;
        for (i, &letter) in quad[..4 - padding].iter().enumerate() {
            triple |= value(letter)? << (18 - 6 * i);
        }
        let kept = 3 - padding;
        // Bits below the kept bytes must be zero, as the encoder leaves them.
        if triple & ((1u32 << (8 * (3 - kept))) - 1) != 0 {
            return None;
        }
        out.extend((0..kept).map(|i| (triple >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipping_numbers_lands_where_reading_them_would() {
        // One-byte numbers and longer ones mixed, so eight-byte steps end inside numbers and at their ends.
        let numbers: Vec<u32> = (0..200u32).map(|n| match n % 7 { 0 => n * 1000, 3 => u32::MAX - n, 5 => 200 + n, _ => n % 100 }).collect();
        let mut bytes = Vec::new();
        numbers.iter().for_each(|&n| write_varint(&mut bytes, n));
        for skipped in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 150, 199] {
            let mut reader = VarintReader::new(&bytes);
            assert!(reader.skip(skipped));
            assert_eq!(reader.read(), Some(numbers[skipped]), "after {skipped}");
        }
        let mut reader = VarintReader::new(&bytes);
        assert!(reader.skip(200) && reader.is_done());
        assert!(!VarintReader::new(&bytes).skip(201), "past the end");
        assert!(!VarintReader::new(&[0x80, 0x80]).skip(1), "a number cut short");
    }

    #[test]
    fn base64_round_trips_and_refuses_what_it_would_not_write() {
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        assert_eq!(base64_encode(b"M"), "TQ==");
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)).as_deref(), Some(&bytes[..]), "{len} bytes");
        }
        for bad in ["TWF", "TW=u", "TQ==TWFu", "TR==", "TWE!", "T===", "éééé"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_small_and_large_numbers() {
        let numbers = [0, 1, 127, 128, 300, 16_383, 16_384, 1_000_000, u32::MAX];
        let mut bytes = Vec::new();
        numbers.iter().for_each(|&n| write_varint(&mut bytes, n));
        assert_eq!(bytes[..3], [0, 1, 127]);
        let mut reader = VarintReader::new(&bytes);
        let read: Vec<u32> = std::iter::from_fn(|| reader.read()).collect();
        assert_eq!(read, numbers);
        assert!(reader.is_done());
    }

    #[test]
    fn a_truncated_number_reads_as_none() {
        assert_eq!(VarintReader::new(&[0x80, 0x80]).read(), None);
        assert_eq!(VarintReader::new(&[]).read(), None);
    }

    #[test]
    fn an_overlong_number_reads_as_none() {
        // u32::MAX is ff ff ff ff 0f; a fifth byte with more bits, or a sixth byte, is not a u32.
        assert_eq!(VarintReader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).read(), Some(u32::MAX));
        assert_eq!(VarintReader::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]).read(), None);
        assert_eq!(VarintReader::new(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).read(), None);
        // Zero, or 1, written in more bytes than needed.
        assert_eq!(VarintReader::new(&[0x80, 0x00]).read(), None);
        assert_eq!(VarintReader::new(&[0x81, 0x80, 0x00]).read(), None);
        assert_eq!(VarintReader::new(&[0x00]).read(), Some(0));
    }
}
