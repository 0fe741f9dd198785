//! Basic image scanning (rules §8): on push or on demand, at most once per
//! image per 24 hours, findings graded by severity.
//!
//! The findings are ILLUSTRATIVE. Dockyard has no image contents and no
//! vulnerability database, so each image gets a few entries from a small
//! fixed catalogue, chosen by a hash of its digest. The same image always
//! gets the same findings, in whichever repository it is pushed to (as a
//! real scan depends only on the image's packages); they say nothing about
//! the real software of that name, and every result is marked
//! `illustrative: true`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::digest::stable_hash;

/// How often a basic scan may run for one image, scan on push included.
pub const BASIC_SCAN_INTERVAL_SECONDS: u64 = 24 * 60 * 60;

/// ECR's finding severities (`FindingSeverity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
    Critical,
    Undefined,
}

impl Severity {
    pub const ALL: [Severity; 6] = [
        Severity::Informational,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
        Severity::Undefined,
    ];

    /// The name ECR prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "INFORMATIONAL",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
            Severity::Undefined => "UNDEFINED",
        }
    }
}

/// What started a scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanTrigger {
    ScanOnPush,
    Manual,
}

/// One illustrative finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// A CVE-shaped identifier in an EXAMPLE namespace, so that nobody
    /// mistakes it for a real advisory.
    pub name: &'static str,
    pub severity: Severity,
    pub package: &'static str,
    pub description: &'static str,
}

/// The outcome of a basic scan, shaped like ECR's `imageScanFindings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanResult {
    pub image_digest: String,
    pub trigger: ScanTrigger,
    /// ECR's `ScanStatus`; basic scans here complete at once.
    pub status: &'static str,
    pub completed_at: u64,
    pub findings: Vec<Finding>,
    /// Counts of the severities present, as ECR's `findingSeverityCounts`
    /// lists them (severities with no finding are left out).
    pub finding_severity_counts: BTreeMap<Severity, u32>,
    /// Always true: see the module documentation.
    pub illustrative: bool,
}

impl ScanResult {
    /// How many findings have `severity` (zero when none).
    pub fn count(&self, severity: Severity) -> u32 {
        self.finding_severity_counts
            .get(&severity)
            .copied()
            .unwrap_or(0)
    }
}

const CATALOGUE: [Finding; 12] = [
    Finding {
        name: "EXAMPLE-2024-0001",
        severity: Severity::Critical,
        package: "openssl",
        description: "Illustrative: a heap overflow while parsing certificates.",
    },
    Finding {
        name: "EXAMPLE-2024-0002",
        severity: Severity::High,
        package: "glibc",
        description: "Illustrative: a buffer overflow in a locale function.",
    },
    Finding {
        name: "EXAMPLE-2024-0003",
        severity: Severity::High,
        package: "curl",
        description: "Illustrative: a use-after-free when following redirects.",
    },
    Finding {
        name: "EXAMPLE-2024-0004",
        severity: Severity::Medium,
        package: "zlib",
        description: "Illustrative: an out-of-bounds read on malformed input.",
    },
    Finding {
        name: "EXAMPLE-2024-0005",
        severity: Severity::Medium,
        package: "libxml2",
        description: "Illustrative: excessive memory use on nested entities.",
    },
    Finding {
        name: "EXAMPLE-2024-0006",
        severity: Severity::Medium,
        package: "busybox",
        description: "Illustrative: a crash in an archive applet.",
    },
    Finding {
        name: "EXAMPLE-2024-0007",
        severity: Severity::Low,
        package: "ncurses",
        description: "Illustrative: a crash on a crafted terminfo file.",
    },
    Finding {
        name: "EXAMPLE-2024-0008",
        severity: Severity::Low,
        package: "tar",
        description: "Illustrative: a one-byte over-read in header parsing.",
    },
    Finding {
        name: "EXAMPLE-2024-0009",
        severity: Severity::Low,
        package: "sqlite",
        description: "Illustrative: an integer overflow in a rarely used function.",
    },
    Finding {
        name: "EXAMPLE-2024-0010",
        severity: Severity::Informational,
        package: "bash",
        description: "Illustrative: a hardening recommendation, not a flaw.",
    },
    Finding {
        name: "EXAMPLE-2024-0011",
        severity: Severity::Informational,
        package: "perl-base",
        description: "Illustrative: an advisory fixed upstream, pending in the distribution.",
    },
    Finding {
        name: "EXAMPLE-2024-0012",
        severity: Severity::Undefined,
        package: "expat",
        description: "Illustrative: a finding the distribution has not graded yet.",
    },
];

/// The illustrative findings for an image: zero to five catalogue entries,
/// chosen by a hash of its digest.
pub fn illustrative_findings(digest: &str) -> Vec<Finding> {
    let seed = stable_hash(digest);
    let count = (seed % 6) as usize;
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    let mut state = seed;
    while chosen.len() < count {
        // A 64-bit LCG step (Knuth's MMIX constants): enough to walk the
        // catalogue deterministically without repeating the first choice.
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let index = ((state >> 33) % CATALOGUE.len() as u64) as usize;
        if !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| CATALOGUE[i].clone()).collect()
}

/// Runs a basic scan now: the findings for this image, counted by severity.
pub fn basic_scan(digest: &str, trigger: ScanTrigger, at_seconds: u64) -> ScanResult {
    let findings = illustrative_findings(digest);
    let mut counts = BTreeMap::new();
    for finding in &findings {
        *counts.entry(finding.severity).or_insert(0) += 1;
    }
    ScanResult {
        image_digest: digest.to_string(),
        trigger,
        status: "COMPLETE",
        completed_at: at_seconds,
        findings,
        finding_severity_counts: counts,
        illustrative: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::digest::digest_of;

    #[test]
    fn findings_are_deterministic_distinct_and_counted() {
        let mut sizes = std::collections::BTreeSet::new();
        for n in 0..60 {
            let digest = digest_of(format!("web build {n}").as_bytes());
            let first = basic_scan(&digest, ScanTrigger::Manual, 10);
            let again = basic_scan(&digest, ScanTrigger::Manual, 10);
            assert_eq!(first, again);
            assert!(first.illustrative);
            let total: u32 = Severity::ALL.iter().map(|&s| first.count(s)).sum();
            assert_eq!(total as usize, first.findings.len());
            let mut names: Vec<_> = first.findings.iter().map(|f| f.name).collect();
            names.dedup();
            assert_eq!(names.len(), first.findings.len());
            sizes.insert(first.findings.len());
        }
        // Over 60 images every size from none to five turns up.
        assert_eq!(sizes.len(), 6);
    }
}
