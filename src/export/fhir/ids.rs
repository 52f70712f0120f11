//! Deterministic resource ids and `urn:uuid` names: the same records give the same ids on every
//! run, so two exports of one hospital are byte-identical.
//!
//! FNV-1a is used because it is tiny and stable across platforms and Rust versions (std's
//! hasher is not); the ids need to be stable and unique, not secret.

use std::collections::HashSet;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;
/// A second starting point, for the other half of a 128-bit uuid.
const OFFSET_2: u64 = OFFSET ^ 0x9e37_79b9_7f4a_7c15;

/// FNV-1a over the parts, each followed by 0xFF (a byte UTF-8 never contains), so that
/// `["ab", "c"]` and `["a", "bc"]` differ.
fn fnv(seed: u64, parts: &[&str]) -> u64 {
    let mut h = seed;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xFF)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

/// A 16-hex-digit id from the parts (a valid FHIR id).
pub fn hash_id(parts: &[&str]) -> String {
    format!("{:016x}", fnv(OFFSET, parts))
}

/// A version-8 (custom) UUID named by resource type and id, for Bundle `fullUrl`s.
pub fn uuid(resource_type: &str, id: &str) -> String {
    let hi = fnv(OFFSET, &[resource_type, id]);
    let lo = fnv(OFFSET_2, &[resource_type, id]);
    let hi = (hi & !0xF000) | 0x8000; // version 8
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// FHIR `id`: 1 to 64 of `A-Z a-z 0-9 - .`.
pub fn is_fhir_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// The Patient resource id: the patient ID itself when it is a valid FHIR id (readable
/// references such as `Patient/0000010003`), else a hash of it.
pub fn patient_id(patient: &str) -> String {
    if is_fhir_id(patient) {
        patient.to_string()
    } else {
        hash_id(&["Patient", patient])
    }
}

/// Hands out ids once per patient: a second record with the same seed (one FHIR Observation
/// read as several results) gets `-2`, `-3` ...
#[derive(Default)]
pub struct Allocator {
    used: HashSet<String>,
}

impl Allocator {
    pub fn take(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = 2u32;
        loop {
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(hash_id(&["a", "b"]), hash_id(&["a", "b"]));
        assert_ne!(hash_id(&["ab", "c"]), hash_id(&["a", "bc"]));
        assert_eq!(hash_id(&["x"]).len(), 16);
        // Pinned: a change here changes every exported file.
        assert_eq!(
            hash_id(&[""]),
            format!("{:016x}", (OFFSET ^ 0xFF).wrapping_mul(PRIME))
        );
        let u = uuid("Patient", "0000010003");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "8");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, uuid("Patient", "0000010004"));
    }

    #[test]
    fn patient_ids_and_duplicates() {
        assert_eq!(patient_id("0000010003"), "0000010003");
        assert_eq!(patient_id("山田/1").len(), 16);
        let mut a = Allocator::default();
        assert_eq!(a.take("x".into()), "x");
        assert_eq!(a.take("x".into()), "x-2");
        assert_eq!(a.take("x".into()), "x-3");
    }
}
