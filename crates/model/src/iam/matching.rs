//! IAM's wildcards: how an `Action` or `Resource` pattern matches, which
//! both a policy's statements and the evaluation ask. A leaf: it imports
//! nothing of IAM.

/// Whether an `Action` pattern matches an action. IAM compares actions
/// case-insensitively (`S3:getobject` is `s3:GetObject`), with `*` for any
/// run of characters and `?` for exactly one.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, true)
}

/// Whether a `Resource` pattern matches an ARN. Unlike actions, ARNs compare
/// case-sensitively (S3 keys and most resource names are case-sensitive),
/// and `*` runs across `:` and `/`.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    wildcard_match(pattern, resource, false)
}

/// `*` and `?` wildcards, optionally ignoring case (also the condition
/// operators' `StringLike` and `ArnLike`).
pub(crate) fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let same = |p: char, t: char| {
        if ignore_case {
            p.to_lowercase().eq(t.to_lowercase())
        } else {
            p == t
        }
    };
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it currently swallows up to:
    // on a mismatch the star takes one more character and matching resumes.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len()
            && pattern[p] != '*'
            && (pattern[p] == '?' || same(pattern[p], text[t]))
        {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}
