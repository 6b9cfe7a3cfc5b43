//! Folding the tellings of a story in the list (`fold=stories`): the list without the articles that tell the
//! story of one listed before them (`Catalog::fold_stories`), from the listed articles' fingerprints alone.

use crate::components::FoldState;
use crate::data::{Load, Store};
use leptos::prelude::*;
use sahifa_core::bundle::FOLD_CAP;
use sahifa_core::view::Listed;
use std::sync::Arc;

/// The list as shown, folded when `fold` asks for it and the list is at most `FOLD_CAP` long, and what the
/// folding did. The fingerprints are read as a resource of the unfolded list: a list that changes while they
/// load is folded again, and the answer for an older list is never shown.
pub fn folded_list(store: Store, fold: Signal<bool>, unfolded: Memo<Load<Arc<Listed>>>) -> (Memo<Load<Arc<Listed>>>, Signal<FoldState>) {
    let folding = LocalResource::new(move || {
        let wanted = fold.get();
        let list = unfolded.get();
        async move {
            let Load::Ready(list) = list else { return None };
            if !wanted || list.len() > FOLD_CAP {
                return None;
            }
            let kept = store.fold_stories(list.docs(FOLD_CAP)).await;
            Some((list, kept))
        }
    });
    let shown = Memo::new(move |_| {
        let list = unfolded.get();
        let Load::Ready(current) = &list else { return list };
        if !fold.get() || current.len() > FOLD_CAP {
            return list;
        }
        folding.with(|folding| match folding.as_ref().and_then(Option::as_ref) {
            Some((of, Ok(kept))) if of == current => Load::Ready(Arc::new(Listed::Picked(kept.clone()))),
            Some((of, Err(message))) if of == current => Load::Failed(message.clone()),
            _ => Load::Loading,
        })
    });
    let state = Signal::derive(move || {
        if !fold.get() {
            return FoldState::Off;
        }
        unfolded.with(|unfolded| match unfolded {
            Load::Ready(list) if list.len() > FOLD_CAP => FoldState::TooLong,
            Load::Ready(list) => shown.with(|shown| match shown {
                Load::Ready(kept) => FoldState::Folded(list.len() - kept.len()),
                _ => FoldState::Working,
            }),
            _ => FoldState::Working,
        })
    });
    (shown, state)
}
