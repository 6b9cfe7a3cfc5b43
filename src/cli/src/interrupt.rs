//! Ctrl-C during a build. The bundle is written in a hidden folder beside the output and renamed into place
//! at the end, so an interruption never leaves a half-written bundle; this removes the temporary folders too
//! (a gzipped corpus's spool alone is gigabytes at a million articles), waiting for a commit under way to
//! finish so the bundle at the output is always whole: the old one or the new one.

use std::path::PathBuf;
use std::sync::Mutex;

/// The temporary folders of the build under way.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Held while the new bundle replaces the old one.
static COMMITTING: Mutex<()> = Mutex::new(());

/// Exit status after an interruption, as shells report a process ended by SIGINT.
const EXIT_INTERRUPTED: i32 = 130;

/// Installs the handler; once per process (later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let _committing = COMMITTING.lock();
        let folders = TEMPORARY.lock().map(|folders| folders.clone()).unwrap_or_default();
        for folder in folders {
            // The build's threads may still be writing into it: try again if a file appeared meanwhile.
            for _ in 0..3 {
                if std::fs::remove_dir_all(&folder).is_ok() || !folder.exists() {
                    break;
                }
            }
        }
        eprintln!("\nsahifa: interrupted; the bundle at the output is as it was, and the temporary folders are removed");
        std::process::exit(EXIT_INTERRUPTED);
    });
}

/// Marks `folder` as temporary: removed if the build is interrupted.
pub fn temporary(folder: PathBuf) {
    if let Ok(mut folders) = TEMPORARY.lock() {
        folders.push(folder);
    }
}

/// Runs `commit` (the new bundle replacing the old) without an interruption in the middle of it.
pub fn uninterrupted<T>(commit: impl FnOnce() -> T) -> T {
    let _committing = COMMITTING.lock();
    commit()
}
