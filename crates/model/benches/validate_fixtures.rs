//! How long import and validation take over the whole fixture folder (121
//! real task definitions published by AWS). Run: cargo bench -p dockyard-model

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dockyard_model::taskdef::check;

fn fixture_texts() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the fixture folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/taskdefs"),
        &mut files,
    );
    files.sort();
    files
        .iter()
        .map(|file| std::fs::read_to_string(file).expect("a fixture"))
        .collect()
}

fn validate_the_folder(c: &mut Criterion) {
    let texts = fixture_texts();
    assert_eq!(texts.len(), 121, "fixture files");
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("fixtures");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("check all 121 task definitions", |b| {
        b.iter(|| {
            let mut findings = 0;
            for text in &texts {
                if let Ok(imported) = check(std::hint::black_box(text)) {
                    findings += imported.findings.len();
                }
            }
            findings
        })
    });
    group.finish();
}

criterion_group!(benches, validate_the_folder);
criterion_main!(benches);
