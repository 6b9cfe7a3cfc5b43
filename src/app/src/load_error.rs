//! Why something the reader asked for could not be shown. Each kind has one sentence for the reader, in
//! Arabic and without a file path (a Latin path inside it broke the right-to-left line, and pushed a card's
//! retry out of its row on a phone); what a developer needs (the file, the host's answer, the decoder's
//! words) goes to the console where the error is made ([`LoadError::noting`]).

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// No answer from the host: the network is down or the host is out of reach.
    Unreachable,
    /// The host answered with an error status (404, 500…).
    Refused { status: u16 },
    /// The answer stopped before its end.
    Cut,
    /// A file arrived but is not what the archive says it is: garbage, a login page, a wrong length. A retry
    /// fetches it past the caches.
    Damaged,
    /// The archive is written in a format this viewer does not read.
    Unsupported { found: u32 },
    /// The archive names a file it lacks, or contradicts itself: only a rebuild mends it.
    Inconsistent,
    /// Asked before the archive's manifest was read.
    NotOpen,
    /// A date filter over an archive built before days were kept.
    NoDays,
    /// The search worker could not start, or could not read the archive.
    Search,
}

impl LoadError {
    /// The error, with `detail` written to the console for whoever looks into it.
    pub fn noting(self, detail: impl fmt::Display) -> LoadError {
        web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&format!("{self:?}: {detail}")));
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreachable => f.write_str("تعذّر الاتصال بالخادم لتحميل الأرشيف. تحقّق من اتصالك بالشبكة ثم أعد المحاولة."),
            LoadError::Refused { status } => write!(f, "رفض الخادم إرسال أحد ملفات الأرشيف (رمز الخادم {status}). أعد المحاولة بعد قليل."),
            LoadError::Cut => f.write_str("انقطع تحميل أحد ملفات الأرشيف قبل اكتماله. أعد المحاولة."),
            LoadError::Damaged => f.write_str("وصل أحد ملفات الأرشيف تالفًا. أعد المحاولة؛ إن تكرّر فالأرشيف على الخادم معطوب."),
            LoadError::Unsupported { found } => write!(
                f,
                "هذا الأرشيف مكتوب بالصيغة رقم {found}، وهذا العارض يقرأ الصيغة رقم {}. أعد بناء الأرشيف بنسخة مطابقة من صحيفة.",
                sahifa_core::bundle::FORMAT_VERSION
            ),
            LoadError::Inconsistent => f.write_str("الأرشيف على الخادم غير متّسق: ملف يذكره غير موجود أو لا يطابقه. أعد بناء الأرشيف."),
            LoadError::NotOpen => f.write_str("لم يُحمَّل الأرشيف بعد."),
            LoadError::NoDays => f.write_str("بُني هذا الأرشيف بنسخة سابقة من صحيفة لا تحفظ أيام المقالات، فلا يمكن تصفيته بالتاريخ. أعد بناء الأرشيف، أو أزل تصفية التاريخ."),
            LoadError::Search => f.write_str("تعذّر البحث في الأرشيف: لم يصل أحد ملفاته، أو وصل ناقصًا أو تالفًا. تحقّق من الاتصال ثم أعد المحاولة."),
        }
    }
}

/// Views show an error as its sentence (`ErrorNotice` takes its message `into` a `String`).
impl From<LoadError> for String {
    fn from(error: LoadError) -> String {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::LoadError;

    #[test]
    fn no_sentence_for_the_reader_holds_latin_letters() {
        let all = [
            LoadError::Unreachable,
            LoadError::Refused { status: 404 },
            LoadError::Cut,
            LoadError::Damaged,
            LoadError::Unsupported { found: 2 },
            LoadError::Inconsistent,
            LoadError::NotOpen,
            LoadError::NoDays,
            LoadError::Search,
        ];
        for error in all {
            let sentence = error.to_string();
            assert!(!sentence.chars().any(|c| c.is_ascii_alphabetic()), "{error:?}: {sentence}");
            assert!(sentence.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{error:?}");
        }
    }
}
