//! The view state that lives in the URL hash, so a copied link reopens the same view on any static host and
//! the back button walks through searches and articles. Forms: `#/?q=…&outlet=…&year=…&month=…&from=…&to=…&sort=…&fold=stories` for the list and
//! `#/article/<id>?q=…` for an article (the list's query and filters ride along so "back" restores them).

use crate::Date;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    pub query: String,
    pub outlet: Option<String>,
    pub year: Option<u16>,
    /// A month (1 to 12) of the chosen year; ignored without a year.
    pub month: Option<u8>,
    /// The first and last days of a date range, either end open.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The order the reader chose; `None` is the view's own (see `ViewState::sort`).
    pub sort: Option<Sort>,
    /// Whether the other tellings of a story are folded under its first place in the list (`fold=stories`).
    pub fold: bool,
    /// The id of the open article, if any.
    pub article: Option<String>,
    /// The shelf (`#/saved`): saved and recently read articles, instead of the list.
    pub shelf: bool,
}

/// How a list is ordered: by relevance (a query's best hits first), newest first, or oldest first. Articles
/// with no known date come last in both date orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Oldest];

    /// The value in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|sort| sort.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "الأكثر صلة",
            Sort::Newest => "الأحدث أولًا",
            Sort::Oldest => "الأقدم أولًا",
        }
    }
}

impl ViewState {
    /// Reads a `location.hash` value (with or without the leading `#`). Unknown keys are ignored and bad values
    /// dropped, so any link opens something sensible.
    pub fn from_hash(hash: &str) -> ViewState {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let mut state = ViewState::default();
        let path = path.trim_matches('/');
        if path == "saved" {
            state.shelf = true;
        }
        if let Some(id) = path.strip_prefix("article/") {
            let id = percent_decode(id);
            if !id.is_empty() {
                state.article = Some(id);
            }
        }
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "q" => state.query = value,
                "outlet" if !value.is_empty() => state.outlet = Some(value),
                "year" => state.year = value.parse().ok(),
                "month" => state.month = value.parse().ok().filter(|month| (1..=12).contains(month)),
                "from" => state.from = Date::parse_iso(&value).ok(),
                "to" => state.to = Date::parse_iso(&value).ok(),
                "sort" => state.sort = Sort::from_key(&value),
                "fold" => state.fold = value == "stories",
                _ => {}
            }
        }
        state
    }

    /// The hash for this state, starting with `#`. Empty parts are left out so links stay short.
    pub fn to_hash(&self) -> String {
        let mut hash = String::from("#/");
        if self.shelf && self.article.is_none() {
            return "#/saved".to_owned();
        }
        if let Some(id) = &self.article {
            hash.push_str("article/");
            hash.push_str(&percent_encode(id));
        }
        let mut params = Vec::new();
        if !self.query.is_empty() {
            params.push(format!("q={}", percent_encode(&self.query)));
        }
        if let Some(outlet) = &self.outlet {
            params.push(format!("outlet={}", percent_encode(outlet)));
        }
        if let Some(year) = self.year {
            params.push(format!("year={year}"));
            if let Some(month) = self.month {
                params.push(format!("month={month}"));
            }
        }
        if let Some(from) = self.from {
            params.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            params.push(format!("to={to}"));
        }
        if let Some(sort) = self.sort.filter(|&sort| sort != self.default_sort()) {
            params.push(format!("sort={}", sort.key()));
        }
        if self.fold {
            params.push("fold=stories".to_owned());
        }
        if !params.is_empty() {
            hash.push('?');
            hash.push_str(&params.join("&"));
        }
        hash
    }

    /// The order without a choice: by relevance with a query, newest first without one.
    pub fn default_sort(&self) -> Sort {
        if self.query.trim().is_empty() {
            Sort::Newest
        } else {
            Sort::Relevance
        }
    }

    /// The order the list is shown in. Relevance needs a query; without one the list is newest first.
    pub fn sort(&self) -> Sort {
        match self.sort.unwrap_or(self.default_sort()) {
            Sort::Relevance if self.query.trim().is_empty() => Sort::Newest,
            sort => sort,
        }
    }

    /// The same list view with no article open.
    pub fn list(&self) -> ViewState {
        ViewState { article: None, shelf: false, ..self.clone() }
    }

    pub fn with_article(&self, id: &str) -> ViewState {
        ViewState { article: Some(id.to_owned()), shelf: false, ..self.clone() }
    }

    /// The shelf, which keeps no query or filter.
    pub fn shelf() -> ViewState {
        ViewState { shelf: true, ..ViewState::default() }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, byte by byte of the UTF-8.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as forms write it); invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_arabic_queries_filters_and_articles() {
        let state = ViewState {
            query: "الانتربول مراكش".to_owned(),
            outlet: Some("هسبريس".to_owned()),
            year: Some(2025),
            month: Some(3),
            from: Date::new(2025, 3, 2).ok(),
            to: Date::new(2025, 3, 20).ok(),
            sort: Some(Sort::Oldest),
            fold: true,
            article: Some("0123abcd".to_owned()),
            shelf: false,
        };
        let hash = state.to_hash();
        assert!(hash.starts_with("#/article/0123abcd?q=%D8"), "{hash}");
        assert!(hash.is_ascii());
        assert_eq!(ViewState::from_hash(&hash), state);
    }

    #[test]
    fn a_month_needs_its_year_and_dates_must_be_real_days() {
        let state = ViewState::from_hash("#/?year=2014&month=3&from=2013-03-01&to=2014-06-30");
        assert_eq!((state.year, state.month), (Some(2014), Some(3)));
        assert_eq!((state.from, state.to), (Date::new(2013, 3, 1).ok(), Date::new(2014, 6, 30).ok()));
        assert_eq!(state.to_hash(), "#/?year=2014&month=3&from=2013-03-01&to=2014-06-30");
        let bad = ViewState::from_hash("#/?month=13&from=2014-02-30&to=yesterday");
        assert_eq!((bad.month, bad.from, bad.to), (None, None, None));
        assert_eq!(ViewState { month: Some(3), ..ViewState::default() }.to_hash(), "#/", "a month alone is no filter");
    }

    #[test]
    fn an_empty_or_unknown_hash_is_the_plain_list() {
        assert_eq!(ViewState::from_hash(""), ViewState::default());
        assert_eq!(ViewState::from_hash("#/nowhere?year=abc&x=1"), ViewState::default());
        assert_eq!(ViewState::default().to_hash(), "#/");
    }

    #[test]
    fn decodes_plus_and_tolerates_broken_escapes() {
        assert_eq!(percent_decode("a+b%2"), "a b%2");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%41"), "A");
    }

    #[test]
    fn an_order_is_written_only_when_it_is_not_the_views_own() {
        let list = |query: &str, sort| ViewState { query: query.into(), sort, ..ViewState::default() };
        assert_eq!(list("", Some(Sort::Newest)).to_hash(), "#/");
        assert_eq!(list("", Some(Sort::Oldest)).to_hash(), "#/?sort=oldest");
        assert_eq!(list("a", Some(Sort::Relevance)).to_hash(), "#/?q=a");
        assert_eq!(list("a", Some(Sort::Newest)).to_hash(), "#/?q=a&sort=newest");
        assert_eq!(ViewState::from_hash("#/?q=a&sort=newest").sort(), Sort::Newest);
        assert_eq!(ViewState::from_hash("#/?q=a").sort(), Sort::Relevance);
        // Relevance needs a query; an unknown order is the view's own.
        assert_eq!(ViewState::from_hash("#/?sort=relevance").sort(), Sort::Newest);
        assert_eq!(ViewState::from_hash("#/?sort=sideways").sort, None);
    }

    #[test]
    fn the_shelf_has_its_own_address() {
        assert_eq!(ViewState::shelf().to_hash(), "#/saved");
        assert_eq!(ViewState::from_hash("#/saved"), ViewState::shelf());
        assert_eq!(ViewState::shelf().with_article("x").to_hash(), "#/article/x");
        assert!(!ViewState::from_hash("#/saved").list().shelf);
    }

    #[test]
    fn the_list_view_keeps_query_and_filters() {
        let state = ViewState::from_hash("#/article/x?q=abc&year=2014");
        assert_eq!(state.list().to_hash(), "#/?q=abc&year=2014");
    }
}
