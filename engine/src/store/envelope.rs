//! The versioned envelope every stored value travels in.
//!
//! redb's `Value::from_bytes` cannot fail, so tables hold plain bytes and our code decodes them,
//! with a typed error for anything it does not recognise. Layout:
//!
//! ```text
//! byte 0      envelope version (1)
//! bytes 1..5  CRC-32 (IEEE) of the payload, little endian
//! bytes 5..   payload: JSON for records, raw bytes for blobs
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The only envelope version this build writes and reads.
pub const VERSION: u8 = 1;
const HEADER: usize = 5;

/// Why stored bytes could not be turned back into a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("{table}: value is {len} bytes, shorter than the envelope header")]
    Truncated { table: &'static str, len: usize },
    #[error("{table}: envelope version {version} is not one this build reads (it reads {VERSION})")]
    UnknownVersion { table: &'static str, version: u8 },
    #[error("{table}: checksum mismatch; the value is corrupt")]
    Checksum { table: &'static str },
    #[error("{table}: the value does not decode: {detail}")]
    Malformed { table: &'static str, detail: String },
}

/// A buffer with room for the header, for the payload to be written after it.
fn unsealed(payload_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload_len);
    out.extend_from_slice(&[VERSION, 0, 0, 0, 0]);
    out
}

/// Fills in the header of a buffer from [`unsealed`] whose payload is written.
fn seal(mut out: Vec<u8>) -> Vec<u8> {
    let crc = crc32fast::hash(&out[HEADER..]);
    out[1..HEADER].copy_from_slice(&crc.to_le_bytes());
    out
}

fn open<'a>(table: &'static str, bytes: &'a [u8]) -> Result<&'a [u8], DecodeError> {
    if bytes.len() < HEADER {
        return Err(DecodeError::Truncated {
            table,
            len: bytes.len(),
        });
    }
    if bytes[0] != VERSION {
        return Err(DecodeError::UnknownVersion {
            table,
            version: bytes[0],
        });
    }
    let crc = u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
    let payload = &bytes[HEADER..];
    if crc32fast::hash(payload) != crc {
        return Err(DecodeError::Checksum { table });
    }
    Ok(payload)
}

/// Encodes a record. Our records have string map keys only, so JSON cannot refuse them.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialised straight after the header: one buffer, no copy.
    let mut out = unsealed(128);
    serde_json::to_writer(&mut out, value).expect("records serialise to JSON");
    seal(out)
}

pub fn decode<T: DeserializeOwned>(table: &'static str, bytes: &[u8]) -> Result<T, DecodeError> {
    let payload = open(table, bytes)?;
    serde_json::from_slice(payload).map_err(|e| DecodeError::Malformed {
        table,
        detail: e.to_string(),
    })
}

/// Encodes opaque bytes (a proof image).
pub fn encode_blob(bytes: &[u8]) -> Vec<u8> {
    let mut out = unsealed(bytes.len());
    out.extend_from_slice(bytes);
    seal(out)
}

pub fn decode_blob(table: &'static str, bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    open(table, bytes).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_kind_of_damage() {
        let bytes = encode(&vec!["a", "b"]);
        assert_eq!(decode::<Vec<String>>("t", &bytes).unwrap(), ["a", "b"]);

        assert_eq!(
            decode::<Vec<String>>("t", &bytes[..3]),
            Err(DecodeError::Truncated { table: "t", len: 3 })
        );

        let mut future = bytes.clone();
        future[0] = 9;
        assert_eq!(
            decode::<Vec<String>>("t", &future),
            Err(DecodeError::UnknownVersion {
                table: "t",
                version: 9
            })
        );

        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 0x20;
        assert_eq!(
            decode::<Vec<String>>("t", &flipped),
            Err(DecodeError::Checksum { table: "t" })
        );

        let wrong_shape = encode(&42u32);
        assert!(matches!(
            decode::<Vec<String>>("t", &wrong_shape),
            Err(DecodeError::Malformed { .. })
        ));
    }
}
