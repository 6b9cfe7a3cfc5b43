//! LEB128 variable-length integers: the binary parts of a bundle (postings, positions) are runs of them.
//! Small numbers, which deltas between sorted ids mostly are, take one byte.

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

#[cfg(test)]
mod tests {
    use super::*;

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
