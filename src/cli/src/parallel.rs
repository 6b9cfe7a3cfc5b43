//! Spreading independent work over every core: the build's parsing and analysis, and compression.

/// Maps `work` over `items` on every core, keeping the order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len().max(1));
    let work = &work;
    let mut slots: Vec<Option<R>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                scope.spawn(move || {
                    (worker..items.len()).step_by(threads).map(|i| (i, work(i, &items[i]))).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        for worker in workers {
            for (i, result) in worker.join().expect("a worker thread panicked") {
                slots[i] = Some(result);
            }
        }
        slots
    });
    slots.iter_mut().map(|slot| slot.take().expect("every item was handled")).collect()
}
