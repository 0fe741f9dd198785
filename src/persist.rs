//! What survives a reload: the learner's place and preferences, in
//! localStorage. Anything read back is untrusted: unreadable data is kept
//! aside (never silently destroyed), reported, and replaced by defaults.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

pub const KEY: &str = "dockyard.v1";
/// Where unreadable saved data is moved, so that nothing is lost.
pub const BACKUP_KEY: &str = "dockyard.v1.unreadable";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the system's prefers-color-scheme.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    pub fn from_key(key: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|theme| theme.key() == key)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Saved {
    /// The slug of the chapter the learner last read.
    #[serde(default)]
    pub last_chapter: Option<String>,
    #[serde(default)]
    pub theme: Theme,
}

/// What was loaded, and what the learner should be told about it.
pub struct Loaded {
    pub saved: Saved,
    pub notice: Option<String>,
}

pub fn load() -> Loaded {
    let raw = match LocalStorage::raw().get_item(KEY) {
        Ok(raw) => raw,
        Err(error) => {
            return Loaded {
                saved: Saved::default(),
                notice: Some(format!(
                    "This browser does not let Dockyard use local storage ({}); your place will not be remembered after you close the tab.",
                    shorten(&format!("{error:?}"))
                )),
            }
        }
    };
    let Some(raw) = raw else {
        return Loaded {
            saved: Saved::default(),
            notice: None,
        };
    };
    // The model's reader, as for every file: it names the field at fault,
    // and the app compiles one JSON reader instead of two.
    match dockyard_model::json::from_str::<Saved>(&raw) {
        Ok(mut saved) => {
            let mut notice = None;
            if let Some(slug) = &saved.last_chapter {
                if dockyard_course::chapter(slug).is_none() {
                    notice = Some(format!(
                        "Your saved place pointed to a chapter that does not exist (\u{201c}{}\u{201d}), so Dockyard opened the first chapter.",
                        shorten(slug)
                    ));
                    saved.last_chapter = None;
                }
            }
            Loaded { saved, notice }
        }
        Err(error) => {
            let kept = LocalStorage::raw().set_item(BACKUP_KEY, &raw).is_ok();
            let _ = LocalStorage::raw().remove_item(KEY);
            let where_kept = if kept {
                format!(" The unreadable data was kept in localStorage under \u{201c}{BACKUP_KEY}\u{201d}.")
            } else {
                String::new()
            };
            Loaded {
                saved: Saved::default(),
                notice: Some(format!(
                    "Dockyard could not read your saved settings ({}), so it started from the defaults.{where_kept}",
                    shorten(&error.to_string())
                )),
            }
        }
    }
}

pub fn save(saved: &Saved) -> Result<(), String> {
    LocalStorage::set(KEY, saved).map_err(|error| error.to_string())
}

fn shorten(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}\u{2026}")
    }
}
