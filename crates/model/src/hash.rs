//! FNV-1a, 64 bits: the one stable hash behind Dockyard's derived ids
//! (role ids, SCP ids, VPC resource ids) and digests (a scenario's events,
//! a lesson's content). It is the same on every build and platform, natively
//! and in WebAssembly, which is all these need; it is no signature.

/// FNV-1a, 64 bits, of `bytes`.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    /// The reference values of the FNV specification's test suite.
    #[test]
    fn fnv1a_gives_the_reference_values() {
        assert_eq!(fnv1a(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(*b"foobar"), 0x8594_4171_f739_67e8);
    }
}
