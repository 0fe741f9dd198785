//! One stable sort for the whole model.
//!
//! Each `sort_by_key` (and each `collect()` into a `BTreeMap` or `BTreeSet`,
//! which sorts its input stably) compiles its own copy of the standard
//! library's stable sort for its element type, about 4.5 KB of wasm each.
//! Sorting `(key, position)` pairs instead shares one copy among all
//! callers: the position breaks ties, so equal keys keep their order.

/// Reorders `items` by `key`, keeping items with equal keys in their order.
pub fn sort_by_u64_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let mut order: Vec<(u64, u64)> = items
        .iter()
        .enumerate()
        .map(|(position, item)| (key(item), position as u64))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|(_, position)| slots[position as usize].take()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_stable_sort(items in prop::collection::vec((0u64..5, any::<u32>()), 0..60)) {
            let mut ours = items.clone();
            sort_by_u64_key(&mut ours, |(key, _)| *key);
            let mut theirs = items;
            theirs.sort_by_key(|(key, _)| *key);
            prop_assert_eq!(ours, theirs);
        }
    }
}
