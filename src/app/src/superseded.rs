//! A resource's request that the reader has moved on from. Leptos runs a resource's next request only once
//! the current one has answered, so a slow request for what the reader typed a moment ago would hold up the
//! one for what the address says now; racing it against this lets it stop at once.

use futures::channel::oneshot;
use leptos::prelude::*;

/// Resolves once `current` no longer equals `asked`. Call it from a resource's request: the watching effect
/// belongs to the request and goes with it.
pub fn when_changed<T: PartialEq + Send + Sync + Clone + 'static>(current: Memo<T>, asked: T) -> oneshot::Receiver<()> {
    let (moved_on, receiver) = oneshot::channel::<()>();
    let mut moved_on = Some(moved_on);
    Effect::new(move |_| {
        if current.with(|now| *now != asked) {
            if let Some(moved_on) = moved_on.take() {
                let _ = moved_on.send(());
            }
        }
    });
    receiver
}
