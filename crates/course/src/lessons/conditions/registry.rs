//! Conditions on the registry (ECR, on the registries page): a repository's
//! settings, an image's scan, and which image a tag names.

use dockyard_model::registry::desk::{counts, short, Desk};
use dockyard_model::registry::scan::Severity;
use dockyard_model::registry::TagMutability;

use super::{Fields, Kind};

/// The repository exists, with tag immutability as given (and scan on
/// push, when given).
#[derive(Clone, Debug, PartialEq)]
pub struct Repository {
    pub repository: String,
    pub immutable: bool,
    pub scan_on_push: Option<bool>,
}

impl Kind for Repository {
    const IS: &'static str = "repository";
    const FIELDS: &'static [&'static str] = &["repository", "immutable", "scanOnPush"];
    type On = Desk;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(Repository {
            repository: fields.text("repository")?,
            immutable: fields.flag("immutable")?,
            scan_on_push: fields.optional_flag("scanOnPush")?,
        })
    }

    fn describe(&self) -> String {
        format!(
            "Repository {} exists with tag immutability {}{}",
            self.repository,
            if self.immutable { "on" } else { "off" },
            match self.scan_on_push {
                Some(true) => " and scan on push",
                Some(false) => " and no scan on push",
                None => "",
            }
        )
    }

    fn judge(&self, desk: &Desk) -> (bool, String) {
        let Ok(repo) = desk.registry.repository(&self.repository) else {
            return (false, "there is no such repository".to_string());
        };
        let settings = repo.settings();
        let is_immutable = settings.tag_mutability == TagMutability::Immutable;
        let met = is_immutable == self.immutable
            && self
                .scan_on_push
                .is_none_or(|want| settings.scan_on_push == want);
        (
            met,
            format!(
                "it is {}, scan on push {}",
                settings.tag_mutability.as_str(),
                if settings.scan_on_push { "on" } else { "off" }
            ),
        )
    }
}

/// `repository:tag` names an image that has been scanned and has no finding
/// of `severity`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageScanned {
    pub repository: String,
    pub tag: String,
    pub severity: Severity,
    /// The tag must name the image of this content, when given.
    pub content: Option<String>,
}

impl Kind for ImageScanned {
    const IS: &'static str = "imageScanned";
    const FIELDS: &'static [&'static str] = &["repository", "tag", "severity", "content"];
    type On = Desk;

    fn parse(fields: &Fields) -> Result<Self, String> {
        let name = fields.text("severity")?;
        let severity = Severity::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| format!("severity: {name:?} is not one of ECR's severities (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED)"))?;
        Ok(ImageScanned {
            repository: fields.text("repository")?,
            tag: fields.text("tag")?,
            severity,
            content: fields.optional_text("content"),
        })
    }

    fn describe(&self) -> String {
        format!(
            "{}:{}{} is scanned and has no {} finding",
            self.repository,
            self.tag,
            of_content(&self.content),
            self.severity.as_str()
        )
    }

    fn judge(&self, desk: &Desk) -> (bool, String) {
        let ImageScanned {
            repository,
            tag,
            severity,
            content,
        } = self;
        let Ok(repo) = desk.registry.repository(repository) else {
            return (false, "there is no such repository".to_string());
        };
        match repo.resolve(tag).and_then(|digest| repo.image(digest)) {
            None => (false, format!("no image is tagged {tag}")),
            Some(image) if !is_content(&image.digest, content) => (
                false,
                format!("{tag} names {}, another image", short(&image.digest)),
            ),
            Some(image) => match &image.scan {
                None => (false, "the image has not been scanned".to_string()),
                Some(scan) => {
                    let found = scan.count(*severity);
                    (found == 0, format!("its scan found {}", counts(scan)))
                }
            },
        }
    }
}

/// The tags name one image (`same`), or different images.
#[derive(Clone, Debug, PartialEq)]
pub struct SameImage {
    pub repository: String,
    pub tags: [String; 2],
    pub same: bool,
    /// The first tag must name the image of this content, when given.
    pub content: Option<String>,
}

impl Kind for SameImage {
    const IS: &'static str = "sameImage";
    const FIELDS: &'static [&'static str] = &["repository", "tags", "same", "content"];
    type On = Desk;

    fn parse(fields: &Fields) -> Result<Self, String> {
        let tags = fields
            .get("tags")
            .and_then(|tags| tags.as_array())
            .and_then(|tags| match tags.as_slice() {
                [a, b] => Some([a.as_str()?.to_string(), b.as_str()?.to_string()]),
                _ => None,
            })
            .ok_or("tags: expected two tags")?;
        Ok(SameImage {
            repository: fields.text("repository")?,
            tags,
            same: fields.flag("same")?,
            content: fields.optional_text("content"),
        })
    }

    fn describe(&self) -> String {
        let SameImage {
            repository,
            tags: [a, b],
            same,
            content,
        } = self;
        format!(
            "{repository}:{a}{} and {repository}:{b} name {}",
            of_content(content),
            if *same {
                "the same image (one digest)"
            } else {
                "different images"
            }
        )
    }

    fn judge(&self, desk: &Desk) -> (bool, String) {
        let SameImage {
            repository,
            tags: [a, b],
            same,
            content,
        } = self;
        let Ok(repo) = desk.registry.repository(repository) else {
            return (false, "there is no such repository".to_string());
        };
        match (repo.resolve(a), repo.resolve(b)) {
            (Some(x), Some(_)) if !is_content(x, content) => {
                (false, format!("{a} names {}, another image", short(x)))
            }
            (Some(x), Some(y)) => (
                (x == y) == *same,
                if x == y {
                    format!("both are {}", short(x))
                } else {
                    format!("{a} is {}, {b} is {}", short(x), short(y))
                },
            ),
            (None, _) => (false, format!("no image is tagged {a}")),
            (_, None) => (false, format!("no image is tagged {b}")),
        }
    }
}

/// ` (the image of "CONTENT")`, or nothing.
fn of_content(content: &Option<String>) -> String {
    content
        .as_ref()
        .map(|c| format!(" (the image of \u{201c}{c}\u{201d})"))
        .unwrap_or_default()
}

/// Whether `digest` is the image of `content` (any image, without one).
fn is_content(digest: &str, content: &Option<String>) -> bool {
    content
        .as_ref()
        .is_none_or(|c| dockyard_model::registry::digest::digest_of(c.as_bytes()) == digest)
}
