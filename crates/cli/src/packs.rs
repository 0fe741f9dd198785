//! `dockyard pack check PACK`: a pack of lessons read as the app reads it
//! and each lesson verified as the shipped ones are, so that a course
//! repository can test its packs in CI. `dockyard pack scorm PACK OUT.zip`:
//! the same pack, checked, as a SCORM 1.2 package with the built site in it.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dockyard_course::packs::{scorm, Pack};

use crate::Failure;

/// Packs of lessons: an instructor's own course.
#[derive(Subcommand)]
pub(crate) enum PackCommand {
    /// Reads a pack and checks that every lesson teaches (its start does
    /// not meet the goal, its solution does, its wrong answer does not).
    #[command(
        after_help = "Exit codes: 0 every lesson teaches; 1 one or more do not; 2 the pack cannot be read (too large, malformed, a field at fault)."
    )]
    Check {
        /// The pack file (PACK.pack.json).
        #[arg(value_name = "PACK", value_hint = clap::ValueHint::FilePath)]
        pack: PathBuf,
    },
    /// Packages a pack for a learning management system (SCORM 1.2): the
    /// pack, the built site, and a page that reports each lesson met to
    /// the LMS (score and completion) through the API the LMS provides.
    #[command(
        after_help = "Exit codes: 0 written; 1 a lesson does not teach (nothing written); 2 bad input (the pack, or no built site: run bash scripts/serve, or trunk build --release, first)."
    )]
    Scorm {
        /// The pack file (PACK.pack.json).
        #[arg(value_name = "PACK", value_hint = clap::ValueHint::FilePath)]
        pack: PathBuf,
        /// The zip to write.
        #[arg(value_name = "OUT.zip", value_hint = clap::ValueHint::FilePath)]
        out: PathBuf,
        /// The built site to put in the package.
        #[arg(long, value_name = "DIR", default_value = "dist")]
        site: PathBuf,
    },
}

pub(crate) fn pack(command: PackCommand) -> Result<String, Failure> {
    match command {
        PackCommand::Check { pack } => check(&pack),
        PackCommand::Scorm { pack, out, site } => scorm(&pack, &out, &site),
    }
}

fn check(path: &std::path::Path) -> Result<String, Failure> {
    let name = path.display();
    let text = crate::read(path)?;
    let pack = Pack::parse(&text).map_err(|e| Failure::Unreadable(format!("{name}: {e}\n")))?;
    let mut out = format!(
        "{name}: {} ({}), {} lessons\n",
        pack.title,
        pack.id,
        pack.lessons.len()
    );
    let mut failing = 0;
    for lesson in &pack.lessons {
        match crate::lessons::verify(lesson) {
            Ok(words) => out.push_str(&words),
            Err(Failure::Verdict(words) | Failure::Unreadable(words)) => {
                failing += 1;
                out.push_str(&words);
            }
        }
    }
    if failing == 0 {
        out.push_str("Every lesson teaches: the pack can be offered.\n");
        Ok(out)
    } else {
        out.push_str(&format!(
            "{failing} of {} lessons do not teach yet: the app will not offer this pack.\n",
            pack.lessons.len()
        ));
        Err(Failure::Verdict(out))
    }
}

fn scorm(path: &Path, out: &Path, site: &Path) -> Result<String, Failure> {
    let text = crate::read(path)?;
    let name = path.display();
    let pack = Pack::parse(&text).map_err(|e| Failure::Unreadable(format!("{name}: {e}\n")))?;
    let unverified = pack.verify();
    if !unverified.is_empty() {
        let mut said = format!("{name}: not packaged; these lessons do not teach yet:\n");
        for u in unverified {
            said.push_str(&format!("  {}: {}\n", u.lesson, u.problems.join("; ")));
        }
        return Err(Failure::Verdict(said));
    }
    if !site.join("index.html").is_file() {
        return Err(Failure::Unreadable(format!(
            "{}: no built site there (index.html); build it first (bash scripts/serve, or trunk build --release), or name it with --site\n",
            site.display()
        )));
    }
    let mut files = scorm::package_files(&pack, &text);
    let mut site_files = Vec::new();
    collect(site, site, &mut site_files).map_err(|e| {
        Failure::Unreadable(format!("{}: cannot read the site: {e}\n", site.display()))
    })?;
    files.extend(site_files);
    let bytes = write_zip(out, &files).map_err(|e| {
        Failure::Unreadable(format!(
            "{}: cannot write the package: {e}\n",
            out.display()
        ))
    })?;
    Ok(format!(
        "{}: SCORM 1.2 package of {} ({} lessons): {} files, {:.1} MB. Upload it to the LMS as a SCORM package; it reports completion and score through the LMS's API.\n",
        out.display(),
        pack.title,
        pack.lessons.len(),
        files.len(),
        bytes as f64 / 1_048_576.0
    ))
}

/// Every file under `dir`, by its path under `site/` in the package.
fn collect(root: &Path, dir: &Path, into: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, into)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            into.push((format!("site/{}", parts.join("/")), std::fs::read(&path)?));
        }
    }
    Ok(())
}

/// Writes the zip; returns its size in bytes.
fn write_zip(out: &Path, files: &[(String, Vec<u8>)]) -> Result<u64, String> {
    use std::io::Write;
    let file = std::fs::File::create(out).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let file = zip.finish().map_err(|e| e.to_string())?;
    file.metadata().map(|m| m.len()).map_err(|e| e.to_string())
}
