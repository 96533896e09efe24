//! The calendars as static files, `out/ics/<token>.ics`, for councils that publish `out/` on
//! a share instead of running the web service. Written by every pass, atomically, and only
//! when their events changed (the `DTSTAMP` alone does not count); a feed whose owner left the
//! directory (or whose token changed with a new key) is removed, so its address stops working.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{Feed, format, key};
use crate::atomic::Durability;
use crate::load::Project;
use crate::pass::Journals;

/// The folder of the feeds below `out/`.
pub fn folder(out_dir: &Path) -> PathBuf {
    out_dir.join("ics")
}

/// What a pass did with the calendars.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Published {
    /// Feeds written because they are new or their events changed.
    pub written: usize,
    /// Feeds left as they were.
    pub unchanged: usize,
    /// Feeds removed: their owner is no longer in the directory.
    pub removed: usize,
    /// Why no calendar was written (German), e.g. the key could not be read.
    pub error: Option<String>,
}

/// Builds every feed and writes those that changed (see the module documentation). Never
/// fails the pass: a problem is returned in [`Published::error`].
pub fn publish(project: &Project, journals: &Journals, now: DateTime<Utc>) -> Published {
    let folders = project.folders();
    let key_file = project.settings.serve.key_file.as_deref();
    let key = match key::load_or_create(&folders.root, key_file) {
        Ok((key, _)) => key,
        Err(error) => {
            return Published {
                error: Some(error.0),
                ..Published::default()
            };
        }
    };
    let dir = folder(&folders.out);
    let mut published = Published::default();
    if let Err(error) = unlistable(&dir) {
        published.error = Some(format!(
            "der Ordner der Kalender {} lässt sich nicht anlegen: {error}",
            dir.display()
        ));
        return published;
    }
    let mut current = BTreeSet::new();
    let built = super::for_each_feed(project, journals, now, &key, |feed| {
        current.insert(feed.file_name());
        if published.error.is_none() {
            write_one(&dir, &feed, &mut published);
        }
    });
    if let Err(error) = built {
        published.error = Some(error.to_string());
    }
    if published.error.is_none() {
        remove_others(&dir, &current, &mut published);
    }
    published
}

/// Writes one feed into `dir` unless its events are those of the file there. Neither the
/// feed's text nor the old file is held whole: both are compared by digest, and the feed is
/// streamed into the file only when it changed.
fn write_one(dir: &Path, feed: &Feed, published: &mut Published) {
    let path = dir.join(feed.file_name());
    let mut digest = format::EventsDigest::default();
    let same = format::write(&feed.calendar, feed.stamp, &mut digest).is_ok()
        && format::EventsDigest::of_file(&path) == Some(digest.finish());
    if same {
        published.unchanged += 1;
        return;
    }
    let written = crate::output::write_file_streamed(&path, Durability::Relaxed, |out| {
        format::write(&feed.calendar, feed.stamp, out)
    });
    match written {
        Ok(()) => published.written += 1,
        Err(error) => {
            published.error = Some(format!(
                "der Kalender {} lässt sich nicht schreiben: {error}",
                path.display()
            ));
        }
    }
}

/// Removes every `.ics` file in `dir` that is not one of `current`: its owner left the
/// directory, or the key changed its token.
fn remove_others(dir: &Path, current: &BTreeSet<String>, published: &mut Published) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ics")
                && !current.contains(&name)
                && std::fs::remove_file(entry.path()).is_ok()
            {
                published.removed += 1;
            }
        }
    }
}

/// Creates the folder so that others may open a feed whose name they know but not list the
/// names (mode 0711): a web server or share serving it as another user cannot show an index
/// of every token.
fn unlistable(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o711))?;
    }
    Ok(())
}
