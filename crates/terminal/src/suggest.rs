//! "Maybe you meant": the names closest to a mistyped one, as the AWS CLI
//! suggests them (difflib's close matches, similarity 0.6 and above, at
//! most three, best first).

/// Similarity as difflib's `SequenceMatcher.ratio()` approximates it:
/// twice the longest common subsequence over the two lengths.
fn ratio(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut row = vec![0usize; b.len() + 1];
    for x in &a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    2.0 * row[b.len()] as f64 / (a.len() + b.len()) as f64
}

/// The names close to `word`, best first.
pub(crate) fn closest<'a>(word: &str, names: &[&'a str]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = names
        .iter()
        .map(|name| (ratio(word, name), *name))
        .filter(|(score, _)| *score >= 0.6)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_near_names() {
        let names = [
            "create-service",
            "create-cluster",
            "delete-service",
            "list-tasks",
        ];
        assert_eq!(closest("crate-service", &names)[0], "create-service");
        assert_eq!(closest("list-task", &names), ["list-tasks"]);
        assert!(closest("zzz", &names).is_empty());
    }
}
