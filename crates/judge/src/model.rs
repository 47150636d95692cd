//! The linear model and its binary file format (see [`LinearModel`]).
//!
//! The runtime only reads models ([`LinearModel::from_bytes`], inflating
//! with `miniz_oxide`); [`LinearModel::to_bytes_with`] writes the layout
//! with the deflate compressor its caller gives, so that the trainer
//! (`verdict-lab`, which compresses with flate2 at its best level) owns the
//! compression and the judge builds no compressor.

use crate::features::{self, FeatureSpec};

const MAGIC: &[u8; 8] = b"VRDJUDGE";
/// The format version this crate reads and writes.
const VERSION: u16 = 2;
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

/// What a head predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    /// Favourable or not (fresh / rotten, positive / negative).
    Polarity = 0,
    /// The critic's rating on 0–1.
    Score = 1,
}

/// One linear head over the shared features.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub kind: HeadKind,
    /// The head has `2^bits` weights (at most the features' hash bits).
    pub bits: u8,
    pub bias: f32,
    /// Weight `j` is `scale · weights[j]`.
    pub scale: f32,
    /// The quantised weights, `2^bits` of them.
    pub weights: Vec<i8>,
}

impl Head {
    /// Sum of the i8 weights of `buckets` (at the feature hash bits `fbits`).
    #[inline]
    pub fn sum(&self, buckets: &[u32], fbits: u8) -> i32 {
        let shift = (fbits - self.bits) as u32;
        let w = &self.weights;
        buckets
            .iter()
            .map(|&b| w[(b >> shift) as usize] as i32)
            .sum()
    }
}

/// Hashed-feature linear heads with their calibration parameters: what a
/// model file holds.
///
/// # File format
///
/// Layout (all integers and floats little-endian):
///
/// | bytes | field |
/// |---|---|
/// | 8 | magic `VRDJUDGE` |
/// | 2 | format version (`2`) |
/// | 1 | hash bits `b` of the features (10 ≤ b ≤ 24) |
/// | 1 | feature flags (unigrams, bigrams, negation marking, trigrams, char n-grams) |
/// | 1, 1 | shortest and longest char n-gram |
/// | 4 | char family weight (f32) |
/// | 1 | name length `n`, then `n` bytes of UTF-8 name |
/// | 1 | number of heads `h`, then `h` heads: |
/// | | 1 byte kind (0 polarity, 1 score), 1 byte bits `c` ≤ `b`, bias (f32), weight scale (f32), payload length `m` (u32), `m` bytes: the `2^c` i8 weights, deflate-compressed (raw deflate, no zlib or gzip wrapper). A feature in bucket `i` uses weight `i >> (b − c)`; weight `j` is `scale · q[j]` |
/// | 2 | number of parameters `k`, then `k` times: name length, name, value (f32) |
/// | 8 | FNV-1a 64 of every byte before it |
///
/// The parameters hold the calibration (see [`calib`](crate::lab_api::calib)). The checksum
/// and the exact decompressed lengths make truncated or damaged files fail
/// to load with a [`ModelError`] instead of judging nonsense.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    /// The model's name ("linear-en-v2").
    pub name: String,
    /// The features the heads read.
    pub spec: FeatureSpec,
    /// At most one head of each kind; a polarity head always.
    pub heads: Vec<Head>,
    /// The calibration, by name (see [`calib`](crate::lab_api::calib)).
    pub params: Vec<(String, f32)>,
}

impl LinearModel {
    /// The head of `kind`, when the model has one.
    pub fn head(&self, kind: HeadKind) -> Option<&Head> {
        self.heads.iter().find(|h| h.kind == kind)
    }

    /// A calibration parameter, 0 when absent.
    pub fn param(&self, name: &str) -> f64 {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0.0, |(_, v)| *v as f64)
    }

    /// The model file (see the layout above), each head's weights compressed
    /// by `deflate` (raw deflate: the bytes [`LinearModel::from_bytes`]
    /// inflates). The same compressor gives the same bytes.
    pub fn to_bytes_with(&self, mut deflate: impl FnMut(&[u8]) -> Vec<u8>) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(self.spec.hash_bits);
        out.push(self.spec.flags);
        out.push(self.spec.char_min);
        out.push(self.spec.char_max);
        out.extend_from_slice(&self.spec.char_weight.to_le_bytes());
        push_name(&mut out, &self.name);
        out.push(self.heads.len() as u8);
        for h in &self.heads {
            out.push(h.kind as u8);
            out.push(h.bits);
            out.extend_from_slice(&h.bias.to_le_bytes());
            out.extend_from_slice(&h.scale.to_le_bytes());
            let raw: Vec<u8> = h.weights.iter().map(|&q| q as u8).collect();
            let payload = deflate(&raw);
            out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            out.extend_from_slice(&payload);
        }
        out.extend_from_slice(&(self.params.len() as u16).to_le_bytes());
        for (name, v) in &self.params {
            push_name(&mut out, name);
            out.extend_from_slice(&v.to_le_bytes());
        }
        let sum = features::fnv1a64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model file, checking everything: magic, version, checksum,
    /// ranges, and that each head's weights inflate to exactly `2^bits`
    /// bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<LinearModel, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let version = u16::from_le_bytes(r.array()?);
        if version != VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        // Check the checksum before trusting any length field.
        if bytes.len() < 18 {
            return Err(ModelError::Truncated {
                needed: 18,
                got: bytes.len(),
            });
        }
        let body_end = bytes.len() - 8;
        let sum = u64::from_le_bytes(bytes[body_end..].try_into().expect("8 bytes"));
        if features::fnv1a64(&bytes[..body_end]) != sum {
            return Err(ModelError::BadChecksum);
        }
        let mut r = Reader {
            bytes: &bytes[..body_end],
            pos: r.pos,
        };
        let hash_bits = r.take(1)?[0];
        let flags = r.take(1)?[0];
        let char_min = r.take(1)?[0];
        let char_max = r.take(1)?[0];
        let char_weight = f32::from_le_bytes(r.array()?);
        let name = r.name()?;
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
        if flags & features::FLAG_CHARS != 0 && !(1..=16).contains(&char_min)
            || char_max < char_min
            || char_max > 16
        {
            return Err(ModelError::Invalid(format!(
                "char n-gram lengths {char_min}–{char_max} out of range"
            )));
        }
        check_finite("char weight", char_weight)?;
        let spec = FeatureSpec {
            hash_bits,
            flags,
            char_min,
            char_max,
            char_weight,
        };
        let n_heads = r.take(1)?[0] as usize;
        let mut heads = Vec::with_capacity(n_heads);
        for _ in 0..n_heads {
            let kind = match r.take(1)?[0] {
                0 => HeadKind::Polarity,
                1 => HeadKind::Score,
                k => return Err(ModelError::Invalid(format!("unknown head kind {k}"))),
            };
            let bits = r.take(1)?[0];
            if !(MIN_BITS..=hash_bits).contains(&bits) {
                return Err(ModelError::Invalid(format!(
                    "head bits {bits} out of range"
                )));
            }
            let bias = f32::from_le_bytes(r.array()?);
            let scale = f32::from_le_bytes(r.array()?);
            check_finite("bias", bias)?;
            check_finite("scale", scale)?;
            let payload_len = u32::from_le_bytes(r.array()?) as usize;
            let payload = r.take(payload_len)?;
            let expected = 1usize << bits;
            // Inflate at most one byte more than expected so an oversized
            // payload is caught without inflating it all.
            let raw =
                match miniz_oxide::inflate::decompress_to_vec_with_limit(payload, expected + 1) {
                    Ok(raw) => raw,
                    Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        e.output
                    }
                    Err(e) => {
                        return Err(ModelError::Invalid(format!(
                            "weights do not decompress: {e}"
                        )));
                    }
                };
            if raw.len() != expected {
                return Err(ModelError::Invalid(format!(
                    "expected {expected} weights, found {}{}",
                    raw.len().min(expected),
                    if raw.len() > expected { " or more" } else { "" }
                )));
            }
            if heads.iter().any(|h: &Head| h.kind == kind) {
                return Err(ModelError::Invalid("two heads of the same kind".into()));
            }
            heads.push(Head {
                kind,
                bits,
                bias,
                scale,
                weights: raw.into_iter().map(|b| b as i8).collect(),
            });
        }
        if !heads.iter().any(|h| h.kind == HeadKind::Polarity) {
            return Err(ModelError::Invalid("no polarity head".into()));
        }
        let n_params = u16::from_le_bytes(r.array()?) as usize;
        let mut params = Vec::with_capacity(n_params);
        for _ in 0..n_params {
            let name = r.name()?;
            let v = f32::from_le_bytes(r.array()?);
            check_finite(&name, v)?;
            params.push((name, v));
        }
        if r.pos != r.bytes.len() {
            return Err(ModelError::Invalid(format!(
                "{} unexpected bytes before the checksum",
                r.bytes.len() - r.pos
            )));
        }
        Ok(LinearModel {
            name,
            spec,
            heads,
            params,
        })
    }
}

fn push_name(out: &mut Vec<u8>, name: &str) {
    let mut end = name.len().min(255);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    out.push(end as u8);
    out.extend_from_slice(&name.as_bytes()[..end]);
}

fn check_finite(what: &str, v: f32) -> Result<(), ModelError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(ModelError::Invalid(format!("{what} is not finite")))
    }
}

/// The logistic function, without overflow for any `z`.
pub fn sigmoid(z: f64) -> f64 {
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
                needed: self.pos.saturating_add(n) + 8,
                got: self.bytes.len() + 8,
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

    fn name(&mut self) -> Result<String, ModelError> {
        let n = self.take(1)?[0] as usize;
        let raw = self.take(n)?;
        std::str::from_utf8(raw)
            .map(str::to_string)
            .map_err(|_| ModelError::Invalid("a name is not UTF-8".into()))
    }
}

impl LinearModel {
    /// A small model with known weights (two heads, 2¹¹ and 2¹⁰ of them,
    /// two parameters): what the judge's and the trainer's tests write,
    /// read and featurise. Not a model to judge with.
    pub fn tiny() -> LinearModel {
        let spec = FeatureSpec {
            hash_bits: 11,
            flags: features::KNOWN_FLAGS,
            char_min: 2,
            char_max: 5,
            char_weight: 0.5,
        };
        LinearModel {
            name: "tiny".into(),
            spec,
            heads: vec![
                Head {
                    kind: HeadKind::Polarity,
                    bits: 11,
                    bias: 0.25,
                    scale: 0.01,
                    weights: (0..1 << 11).map(|i| (i % 255) as u8 as i8).collect(),
                },
                Head {
                    kind: HeadKind::Score,
                    bits: 10,
                    bias: -0.1,
                    scale: 0.02,
                    weights: (0..1 << 10).map(|i| (i % 7) as i8 - 3).collect(),
                },
            ],
            params: vec![("pol.m".into(), 1.5), ("pol.b".into(), -0.1)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deflate(raw: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(raw, 9)
    }

    #[test]
    fn round_trips() {
        let m = LinearModel::tiny();
        let bytes = m.to_bytes_with(deflate);
        let back = LinearModel::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.param("pol.m"), 1.5);
        assert_eq!(back.param("absent"), 0.0);
        // A coarser head reads a bucket's top bits.
        let score = back.head(HeadKind::Score).unwrap();
        assert_eq!(
            score.sum(&[5, 2047], 11),
            score.weights[2] as i32 + score.weights[1023] as i32
        );
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error() {
        let bytes = LinearModel::tiny().to_bytes_with(deflate);
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

    #[test]
    fn weights_of_the_wrong_length_or_not_deflate_are_errors() {
        let m = LinearModel::tiny();
        let err = |deflate: &dyn Fn(&[u8]) -> Vec<u8>| match LinearModel::from_bytes(
            &m.to_bytes_with(deflate),
        ) {
            Err(ModelError::Invalid(why)) => why,
            other => panic!("{other:?}"),
        };
        let longer = err(&|raw| deflate(&[raw, &[0][..]].concat()));
        assert_eq!(longer, "expected 2048 weights, found 2048 or more");
        let much_longer = err(&|raw| deflate(&raw.repeat(3)));
        assert_eq!(much_longer, "expected 2048 weights, found 2048 or more");
        let shorter = err(&|raw| deflate(&raw[..raw.len() - 1]));
        assert_eq!(shorter, "expected 2048 weights, found 2047");
        let junk = err(&|_| vec![0xff; 16]);
        assert!(junk.starts_with("weights do not decompress: "), "{junk}");
        let cut = err(&|raw| {
            let d = deflate(raw);
            d[..d.len() / 2].to_vec()
        });
        assert!(cut.starts_with("weights do not decompress: "), "{cut}");
    }
}
