//! Two small hashers for the per-call maps, where `SipHash`'s cost shows: the group
//! counts (a few integers per key) and the caches from a logged value's bytes to what it
//! means. Neither needs to resist a crafted log: the caches are capped in size, and a
//! log built to collide only costs time.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;

/// rustc's `FxHasher`: a multiply-rotate hash for keys of a few integers.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word.iter_mut().zip(chunk).for_each(|(w, b)| *w = *b);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(K);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The multiply carries each word's low bits into the high ones, never back: turn
        // the high bits down, or keys that differ only there would share their buckets.
        self.0.rotate_left(26)
    }
}

/// A map keyed by a few integers.
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// For byte-string keys (endpoints, models, tags): the length and three 8-byte windows
/// (first, middle, last), each with its own multiply, so a 40-byte endpoint costs three
/// independent multiplies instead of a chain of five. The map still compares keys in full.
#[derive(Default, Clone, Copy)]
pub(crate) struct Bytes(u64);

/// The 8 bytes of `b` from `i` (fewer at the end, padded with zeros).
#[inline]
fn window(b: &[u8], i: usize) -> u64 {
    let mut word = [0u8; 8];
    if let Some(part) = b.get(i..) {
        word.iter_mut().zip(part).for_each(|(w, x)| *w = *x);
    }
    u64::from_le_bytes(word)
}

impl Hasher for Bytes {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        let (first, middle, last) = if len >= 8 {
            (
                window(bytes, 0),
                window(bytes, len / 2 - 4),
                window(bytes, len - 8),
            )
        } else {
            (window(bytes, 0), 0, 0)
        };
        self.0 ^= (first ^ 0x9E37_79B9_7F4A_7C15).wrapping_mul(0xBF58_476D_1CE4_E5B9)
            ^ (middle ^ 0x94D0_49BB_1331_11EB).wrapping_mul(0x2545_F491_4F6C_DD1D)
            ^ (last ^ 0xD6E8_FEB8_6659_FD93).wrapping_mul(K);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.0 ^= (n as u64).wrapping_mul(0xA076_1D64_78BD_642F);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// A map keyed by byte strings.
pub(crate) type BytesMap<V> = HashMap<Box<[u8]>, V, BuildHasherDefault<Bytes>>;
