//! Spreading independent work over every core: the build's parsing and analysis, and compression.

/// Threads per core for work that reads files: while one thread waits for the disk, others parse. A cold
/// million-page build read its pages at about 70 MB/s with one reader per core; a disk answers more small reads
/// at once (on this machine, 30,000 pages read cold by 2 processes at 133 MB/s, by 16 at 260 MB/s).
const READERS_PER_CORE: usize = 4;

/// The processors this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Maps `work` over `items` on every core, keeping the order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    map_on_threads(cores(), items, work)
}

/// [`parallel_map`] for work that reads files as well as computing: several threads per core, so the disk is
/// asked for several files at once.
pub fn parallel_map_reading<T: Sync, R: Send>(items: &[T], work: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    map_on_threads(cores() * READERS_PER_CORE, items, work)
}

fn map_on_threads<T: Sync, R: Send>(threads: usize, items: &[T], work: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len().max(1));
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
