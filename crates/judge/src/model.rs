//! The linear model and its binary file format.
//!
//! Layout (all integers and floats little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `VRDJUDGE` |
//! | 2 | format version (`1`) |
//! | 1 | hash bits `b` (the model has `2^b` weights, 10 ≤ b ≤ 24) |
//! | 1 | feature flags (unigrams, bigrams, negation marking) |
//! | 1 | name length `n`, then `n` bytes of UTF-8 name |
//! | 4 | bias (f32) |
//! | 4 | weight scale (f32): weight `i` is `scale * q[i]` |
//! | 4 | Platt `a` (f32) |
//! | 4 | Platt `b` (f32): `P(positive) = 1 / (1 + exp(-(a * margin + b)))` |
//! | 4 | length `m` of the weight payload |
//! | m | the `2^b` i8 weights `q`, deflate-compressed |
//! | 8 | FNV-1a 64 of every byte before it |
//!
//! The checksum and the exact decompressed length make truncated or damaged
//! files fail to load with a [`ModelError`] instead of judging nonsense.

use crate::features::{self, FeatureSpec};
use std::io::{Read, Write};

pub(crate) const MAGIC: &[u8; 8] = b"VRDJUDGE";
pub(crate) const VERSION: u16 = 1;
const MIN_BITS: u8 = 10;
const MAX_BITS: u8 = 24;

/// Why model bytes could not be loaded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("model file is truncated (needs at least {needed} bytes, has {got})")]
    Truncated { needed: usize, got: usize },
    #[error("not a Verdict judge model (bad magic bytes)")]
    BadMagic,
    #[error("unsupported model format version {0} (this build reads version {VERSION})")]
    UnsupportedVersion(u16),
    #[error("model checksum mismatch: the file is damaged")]
    BadChecksum,
    #[error("invalid model: {0}")]
    Invalid(String),
}

/// A hashed-feature logistic regression with Platt-calibrated output.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinearModel {
    pub name: String,
    pub spec: FeatureSpec,
    pub bias: f32,
    pub scale: f32,
    pub platt_a: f32,
    pub platt_b: f32,
    pub weights: Vec<i8>,
}

impl LinearModel {
    /// Sum of the weights of `features` (sorted, unique buckets), before
    /// length normalisation and bias.
    pub fn weight_sum(&self, features: &[u32]) -> f64 {
        let sum: i64 = features
            .iter()
            .map(|&f| self.weights[f as usize] as i64)
            .sum();
        sum as f64 * self.scale as f64
    }

    /// The raw (uncalibrated) margin of a binary, L2-normalised feature set.
    pub fn margin(&self, features: &[u32]) -> f64 {
        if features.is_empty() {
            return self.bias as f64;
        }
        self.bias as f64 + self.weight_sum(features) / (features.len() as f64).sqrt()
    }

    /// Calibrated probability that a text with raw margin `margin` is positive.
    pub fn calibrate(&self, margin: f64) -> f64 {
        sigmoid(self.platt_a as f64 * margin + self.platt_b as f64)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() / 2 + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(self.spec.hash_bits);
        out.push(self.spec.flags);
        let name = self.name.as_bytes();
        let name = &name[..name.len().min(255)];
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        for v in [self.bias, self.scale, self.platt_a, self.platt_b] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let raw: Vec<u8> = self.weights.iter().map(|&q| q as u8).collect();
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).expect("writing to a Vec cannot fail");
        let payload = enc.finish().expect("writing to a Vec cannot fail");
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&payload);
        let sum = features::fnv1a64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<LinearModel, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let version = u16::from_le_bytes(r.array()?);
        if version != VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        let hash_bits = r.take(1)?[0];
        let flags = r.take(1)?[0];
        let name_len = r.take(1)?[0] as usize;
        let name = r.take(name_len)?;
        let bias = f32::from_le_bytes(r.array()?);
        let scale = f32::from_le_bytes(r.array()?);
        let platt_a = f32::from_le_bytes(r.array()?);
        let platt_b = f32::from_le_bytes(r.array()?);
        let payload_len = u32::from_le_bytes(r.array()?) as usize;
        let payload = r.take(payload_len)?;
        let body_end = r.pos;
        let sum = u64::from_le_bytes(r.array()?);
        if r.pos != bytes.len() {
            return Err(ModelError::Invalid(format!(
                "{} unexpected bytes after the checksum",
                bytes.len() - r.pos
            )));
        }
        if features::fnv1a64(&bytes[..body_end]) != sum {
            return Err(ModelError::BadChecksum);
        }
        if !(MIN_BITS..=MAX_BITS).contains(&hash_bits) {
            return Err(ModelError::Invalid(format!(
                "hash bits {hash_bits} out of range"
            )));
        }
        if flags & !features::KNOWN_FLAGS != 0 || flags == 0 {
            return Err(ModelError::Invalid(format!(
                "unknown feature flags {flags:#04x}"
            )));
        }
        let name = std::str::from_utf8(name)
            .map_err(|_| ModelError::Invalid("model name is not UTF-8".into()))?
            .to_string();
        for (what, v) in [
            ("bias", bias),
            ("scale", scale),
            ("platt a", platt_a),
            ("platt b", platt_b),
        ] {
            if !v.is_finite() {
                return Err(ModelError::Invalid(format!("{what} is not finite")));
            }
        }
        let spec = FeatureSpec { hash_bits, flags };
        let expected = spec.buckets();
        let mut raw = Vec::with_capacity(expected);
        // Read at most one byte more than expected so an oversized payload is
        // caught without inflating it all.
        flate2::read::DeflateDecoder::new(payload)
            .take(expected as u64 + 1)
            .read_to_end(&mut raw)
            .map_err(|e| ModelError::Invalid(format!("weights do not decompress: {e}")))?;
        if raw.len() != expected {
            return Err(ModelError::Invalid(format!(
                "expected {expected} weights, found {}{}",
                raw.len().min(expected),
                if raw.len() > expected { " or more" } else { "" }
            )));
        }
        let weights = raw.into_iter().map(|b| b as i8).collect();
        Ok(LinearModel {
            name,
            spec,
            bias,
            scale,
            platt_a,
            platt_b,
            weights,
        })
    }
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(ModelError::Truncated {
                needed: self.pos.saturating_add(n),
                got: self.bytes.len(),
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> LinearModel {
        let spec = FeatureSpec {
            hash_bits: 10,
            flags: features::KNOWN_FLAGS,
        };
        LinearModel {
            name: "tiny".into(),
            spec,
            bias: 0.25,
            scale: 0.01,
            platt_a: 1.5,
            platt_b: -0.1,
            weights: (0..spec.buckets()).map(|i| (i % 255) as u8 as i8).collect(),
        }
    }

    #[test]
    fn round_trips() {
        let m = tiny();
        let bytes = m.to_bytes();
        assert_eq!(LinearModel::from_bytes(&bytes).unwrap(), m);
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error() {
        let bytes = tiny().to_bytes();
        for n in 0..bytes.len() {
            assert!(
                LinearModel::from_bytes(&bytes[..n]).is_err(),
                "truncated at {n}"
            );
        }
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x40;
            assert!(LinearModel::from_bytes(&b).is_err(), "flip at {i}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(LinearModel::from_bytes(&longer).is_err());
    }
}
