//! Ctrl-C during a build. The bundle is written in a hidden folder beside the output and renamed into place
//! at the end, so an interruption never leaves a half-written bundle; this removes the temporary folders too
//! (a gzipped corpus's spool alone is gigabytes at a million articles), waiting for a commit under way to
//! finish so the bundle at the output is always whole: the old one or the new one.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The temporary folders of the build under way.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Held while the new bundle replaces the old one.
static COMMITTING: Mutex<()> = Mutex::new(());
/// Set by Ctrl-C: from then on the build writes nothing more (`check`), so the folders removed stay removed.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Exit status after an interruption, as shells report a process ended by SIGINT.
const EXIT_INTERRUPTED: i32 = 130;

/// Installs the handler; once per process (later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let _committing = COMMITTING.lock();
        STOPPING.store(true, Ordering::SeqCst);
        let folders = TEMPORARY.lock().map(|folders| folders.clone()).unwrap_or_default();
        // The build's threads may be in the middle of a write that recreates a folder: remove until none is
        // left, a moment apart (they write nothing new once `STOPPING` is set).
        for _ in 0..40 {
            for folder in &folders {
                let _ = std::fs::remove_dir_all(folder);
            }
            if folders.iter().all(|folder| !folder.exists()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        eprintln!("\nsahifa: interrupted; the bundle at the output is as it was, and the temporary folders are removed");
        std::process::exit(EXIT_INTERRUPTED);
    });
}

/// Whether Ctrl-C was pressed: the handler is cleaning up and will end the process itself.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// An error once Ctrl-C was pressed: what would write a file or a folder asks first.
pub fn check() -> Result<(), String> {
    if stopping() { Err("interrupted".into()) } else { Ok(()) }
}

/// Marks `folder` as temporary: removed if the build is interrupted.
pub fn temporary(folder: PathBuf) {
    if let Ok(mut folders) = TEMPORARY.lock() {
        folders.push(folder);
    }
}

/// Removes the temporary folders of a build that failed (a write refused by a full disk, say): a half-written
/// staging folder would hold on to the space the publisher needs to build again. Answers how many there were.
pub fn remove_temporary() -> usize {
    let folders = TEMPORARY.lock().map(|mut folders| std::mem::take(&mut *folders)).unwrap_or_default();
    folders.iter().filter(|folder| folder.exists()).filter(|folder| std::fs::remove_dir_all(folder).is_ok()).count()
}

/// Runs `commit` (the new bundle replacing the old) without an interruption in the middle of it.
pub fn uninterrupted<T>(commit: impl FnOnce() -> T) -> T {
    let _committing = COMMITTING.lock();
    commit()
}
