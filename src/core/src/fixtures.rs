//! Real inputs for unit tests, compiled in: the five sample Maghress pages of `tests/fixtures/seeds`.

pub const SEED_PAGES: [&str; 5] = [
    include_str!("../../../tests/fixtures/seeds/000_76a1b9d5c2198e0e.txt"),
    include_str!("../../../tests/fixtures/seeds/001_2b6b72712f18fa31.txt"),
    include_str!("../../../tests/fixtures/seeds/002_884f1ecf36255e5d.txt"),
    include_str!("../../../tests/fixtures/seeds/003_a080804b0b4d0dbd.txt"),
    include_str!("../../../tests/fixtures/seeds/004_3471598b5e5db83e.txt"),
];
