//! What survives a reload: the learner's place and preferences, kept
//! through the storage module. Anything read back is untrusted: unreadable
//! data is kept aside (never silently destroyed), reported, and replaced by
//! defaults.

use dockyard_course::storage::{shorten, Key, Load};
use serde::{Deserialize, Serialize};

use crate::storage;

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
    // The model's reader, as for every file: it names the field at fault,
    // and the app compiles one JSON reader instead of two.
    match storage::load(Key::Settings, dockyard_model::json::from_str::<Saved>) {
        Load::Found(mut saved) => {
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
        Load::Absent => Loaded {
            saved: Saved::default(),
            notice: None,
        },
        Load::SetAside(notice) => Loaded {
            saved: Saved::default(),
            notice: Some(notice),
        },
        Load::Refused(error) => Loaded {
            saved: Saved::default(),
            notice: Some(format!(
                "This browser does not let Dockyard use local storage ({error}); your place will not be remembered after you close the tab."
            )),
        },
    }
}

pub fn save(saved: &Saved) -> Result<(), String> {
    let json = serde_json::to_string(saved).map_err(|error| error.to_string())?;
    storage::save(Key::Settings, &json)
}
