//! Standard output, where `list`, `files`, `export`, `search` and `stories` print what they find. A reader
//! that stops early (`sahifa list … | head`) closes the pipe: the command then ends quietly, with success, as
//! Unix tools do, where `println!` would panic.

use std::io::Write;

/// Prints a line to standard output, like `println!`, ending quietly if nobody reads any more.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

pub fn line(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        end_on(error)
    }
}

fn end_on(error: std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(crate::EXIT_OK));
    }
    eprintln!("sahifa: error: cannot write to standard output: {error}");
    std::process::exit(i32::from(crate::EXIT_USAGE));
}
