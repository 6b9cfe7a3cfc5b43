//! The installed-app side of the viewer: registering the service worker that the release build ships,
//! offering an update when a new version waits, knowing whether the network is there, and saving the whole
//! archive, or the files a part of it needs, for offline reading.

use crate::data::Store;
use sahifa_core::offline::{BUNDLE_FOLDER, DATA_CACHE, SAVED_MARKER};
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RegistrationOptions, ServiceWorkerRegistration, ServiceWorkerState};

/// Progress of "save for offline".
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Idle,
    /// `refreshing`: bringing an archive saved before an update up to date.
    Saving { done_bytes: u64, total_bytes: u64, refreshing: bool },
    /// `downloaded_bytes`: what this run fetched (after an update, only the new files).
    Saved { used_bytes: Option<f64>, quota_bytes: Option<f64>, persisted: bool, downloaded_bytes: u64, refreshed: bool },
    Failed(String),
}

/// Shared through context.
#[derive(Clone, Copy)]
pub struct Pwa {
    pub online: RwSignal<bool>,
    /// A service worker controls this page, so what it fetches is kept for offline use.
    pub controlled: RwSignal<bool>,
    pub update_ready: RwSignal<bool>,
    pub save: RwSignal<SaveState>,
    registration: StoredValue<Option<SendWrapper<ServiceWorkerRegistration>>>,
}

type SendWrapper<T> = send_wrapper::SendWrapper<T>;

impl Pwa {
    pub fn start() -> Pwa {
        let navigator = window().navigator();
        let pwa = Pwa::inert();
        pwa.online.set(navigator.on_line());
        let online = pwa.online;
        std::mem::forget(window_event_listener(leptos::ev::online, move |_| online.set(true)));
        std::mem::forget(window_event_listener(leptos::ev::offline, move |_| online.set(false)));
        // Service workers exist only in secure contexts (https, or http on localhost).
        let supported = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
        if let (true, Some(worker)) = (supported, worker_script()) {
            pwa.register(worker);
        }
        pwa
    }

    /// The state of a page with no worker yet, online, nothing saved: what a first visit starts from, and
    /// what the first screen drawn at build time shows.
    pub fn inert() -> Pwa {
        Pwa {
            online: RwSignal::new(true),
            controlled: RwSignal::new(false),
            update_ready: RwSignal::new(false),
            save: RwSignal::new(SaveState::Idle),
            registration: StoredValue::new(None),
        }
    }

    /// The release build names its worker in a meta tag; development builds have none, so `trunk serve`
    /// never runs old code from a cache.
    fn register(self, script: String) {
        let container = window().navigator().service_worker();
        self.controlled.set(container.controller().is_some());
        let options = RegistrationOptions::new();
        options.set_scope("./");
        let promise = container.register_with_options(&script, &options);
        spawn_local(async move {
            let registered = JsFuture::from(promise).await;
            let Some(registration) = registered.ok().and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok()) else {
                return;
            };
            self.watch_for_updates(&registration);
            self.registration.set_value(Some(SendWrapper::new(registration)));
        });
        let controlled = self.controlled;
        let on_controller = Closure::<dyn FnMut()>::new(move || {
            // A new worker took over after the reader asked for the update: reload into the new version.
            if controlled.get_untracked() {
                let _ = window().location().reload();
            }
            controlled.set(true);
        });
        container.set_oncontrollerchange(Some(on_controller.as_ref().unchecked_ref()));
        on_controller.forget();
    }

    fn watch_for_updates(self, registration: &ServiceWorkerRegistration) {
        let has_controller = || window().navigator().service_worker().controller().is_some();
        if registration.waiting().is_some() && has_controller() {
            self.update_ready.set(true);
        }
        let update_ready = self.update_ready;
        let watched = registration.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = watched.installing() else { return };
            let worker = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && has_controller() {
                    update_ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    }

    /// Lets the waiting worker take over; the page reloads when it has.
    pub fn apply_update(&self) {
        self.registration.with_value(|registration| {
            if let Some(waiting) = registration.as_ref().and_then(|r| r.waiting()) {
                let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
            }
        });
    }

    /// Downloads every file of the bundle that is not cached yet, asking first for persistent storage, then
    /// marks the archive as saved.
    pub fn save_archive(self, store: Store) {
        spawn_local(async move { self.save(store, false).await });
    }

    /// A reader who saved the archive keeps it complete through updates: once a new version runs, the files
    /// it added are downloaded too (the worker kept every unchanged one). Runs at start when the mark of a
    /// saved archive is in the cache.
    pub fn keep_saved_archive_current(self, store: Store) {
        spawn_local(async move {
            if window().navigator().on_line() && is_cached(SAVED_MARKER).await {
                self.save(store, true).await;
            }
        });
    }

    async fn save(self, store: Store, refreshing: bool) {
        let save = self.save;
        let total_bytes = store.manifest().map_or(0, |library| library.manifest.total_bytes);
        save.set(SaveState::Saving { done_bytes: 0, total_bytes, refreshing });
        // The directories name every file; they are small and saved along with the rest.
        let files = match store.all_files().await {
            Ok(files) => files,
            Err(error) => {
                save.set(SaveState::Failed(error.into()));
                return;
            }
        };
        let total_bytes: u64 = files.iter().map(|(_, size)| size).sum();
        let storage = window().navigator().storage();
        let persisted = match storage.persist() {
            Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
            Err(_) => false,
        };
        let downloaded_bytes = match download_files(&files, |done_bytes| save.set(SaveState::Saving { done_bytes, total_bytes, refreshing })).await {
            Ok(downloaded) => downloaded,
            Err(message) => {
                save.set(SaveState::Failed(message));
                return;
            }
        };
        mark_saved().await;
        let (used_bytes, quota_bytes) = match storage.estimate() {
            Ok(promise) => match JsFuture::from(promise).await {
                Ok(estimate) => {
                    let estimate: web_sys::StorageEstimate = estimate.unchecked_into();
                    (estimate.get_usage(), estimate.get_quota())
                }
                Err(_) => (None, None),
            },
            Err(_) => (None, None),
        };
        save.set(SaveState::Saved { used_bytes, quota_bytes, persisted, downloaded_bytes, refreshed: refreshing });
    }
}

/// Fetches through the service worker, which keeps them, every one of `files` (bundle paths with sizes) its
/// data cache lacks; `progress` gets the bytes dealt with so far. Answers the bytes actually downloaded.
pub async fn download_files(files: &[(String, u64)], progress: impl Fn(u64)) -> Result<u64, String> {
    let (mut done_bytes, mut downloaded_bytes) = (0, 0);
    let total_bytes: u64 = files.iter().map(|(_, size)| size).sum();
    for (path, size) in files {
        let url = format!("{BUNDLE_FOLDER}{path}");
        if !is_cached(&url).await {
            let ok = match Request::get(&url).send().await {
                Ok(response) if response.ok() => response.binary().await.is_ok(),
                _ => false,
            };
            if !ok {
                // The file for whoever looks into it; the reader's sentence stays Arabic, as a Latin path
                // inside it broke the right-to-left line.
                web_sys::console::warn_1(&JsValue::from_str(&format!("saving for offline stopped at {path}")));
                return Err(format!(
                    "انقطع التنزيل بعد حفظ {} من {}. ما حُفظ باقٍ؛ تحقّق من الاتصال ثم أعد المحاولة لإكمال الباقي.",
                    format_size(done_bytes as f64),
                    format_size(total_bytes as f64)
                ));
            }
            // The worker answers a file it could not keep (storage full) all the same: saving checks.
            if !is_cached(&url).await {
                return Err(format!(
                    "لا تتّسع مساحة التخزين على هذا الجهاز للأرشيف: حُفظ {} من {}. ما حُفظ باقٍ؛ أفرغ بعض المساحة ثم أعد المحاولة.",
                    format_size(done_bytes as f64),
                    format_size(total_bytes as f64)
                ));
            }
            downloaded_bytes += size;
        }
        done_bytes += size;
        progress(done_bytes);
    }
    Ok(downloaded_bytes)
}

/// The bytes of `files` the worker's data cache does not hold yet: what saving them would download.
pub async fn bytes_to_download(files: &[(String, u64)]) -> u64 {
    let mut bytes = 0;
    for (path, size) in files {
        if !is_cached(&format!("{BUNDLE_FOLDER}{path}")).await {
            bytes += size;
        }
    }
    bytes
}

fn worker_script() -> Option<String> {
    let meta = document().query_selector("meta[name='sahifa-service-worker']").ok()??;
    meta.get_attribute("content").filter(|content| !content.is_empty())
}

async fn data_cache() -> Option<web_sys::Cache> {
    let caches = window().caches().ok()?;
    JsFuture::from(caches.open(DATA_CACHE)).await.ok().map(|cache| cache.unchecked_into())
}

fn absolute(url: &str) -> String {
    web_sys::Url::new_with_base(url, &window().location().href().unwrap_or_default()).map(|u| u.href()).unwrap_or_else(|_| url.to_owned())
}

/// Whether the worker's data cache already holds `url` (relative to the page).
async fn is_cached(url: &str) -> bool {
    let Some(cache) = data_cache().await else { return false };
    JsFuture::from(cache.match_with_str(&absolute(url))).await.is_ok_and(|found| !found.is_undefined())
}

/// Leaves the mark of a saved archive in the data cache (the worker keeps it through updates).
async fn mark_saved() {
    let Some(cache) = data_cache().await else { return };
    if let Ok(response) = web_sys::Response::new_with_opt_str(Some("saved")) {
        let _ = JsFuture::from(cache.put_with_str(&absolute(SAVED_MARKER), &response)).await;
    }
}

/// Bytes as a reader reads them, in Arabic units with Western digits.
pub fn format_size(bytes: f64) -> String {
    if bytes >= 1_000_000.0 {
        format!("{:.1} ميغابايت", bytes / 1_000_000.0)
    } else {
        format!("{} كيلوبايت", (bytes / 1000.0).ceil().max(1.0))
    }
}
