//! Presentational components, one per file, each marked with `data-testid`s for the browser tests. They take
//! plain data and callbacks; fetching and routing stay in `pages` and `app`.

pub mod article_body;
pub mod article_card;
pub mod article_list;
pub mod bidi_text;
pub mod date_range;
pub mod disclosure_button;
pub mod facet_group;
pub mod filter_bar;
pub mod headline_hits;
pub mod headlines_panel;
pub mod highlighted;
pub mod hijri_date;
pub mod notice;
pub mod offline_badge;
pub mod reading_settings;
pub mod save_offline;
pub mod save_toggle;
pub mod search_box;
pub mod share_actions;
pub mod sort_select;
pub mod timeline;
pub mod update_banner;

pub use article_body::ArticleBody;
pub use article_card::{ArticleCard, CardData};
pub use article_list::ArticleList;
pub use bidi_text::BidiText;
pub use date_range::DateRange;
pub use disclosure_button::DisclosureButton;
pub use facet_group::FacetGroup;
pub use filter_bar::{ActiveFilter, FilterBar, FilterKey};
pub use headline_hits::HeadlineHits;
pub use headlines_panel::HeadlinesPanel;
pub use highlighted::Highlighted;
pub use hijri_date::HijriDate;
pub use notice::{ErrorNotice, LoadingNotice};
pub use offline_badge::OfflineBadge;
pub use reading_settings::ReadingSettings;
pub use save_offline::SaveOffline;
pub use save_toggle::SaveToggle;
pub use search_box::SearchBox;
pub use share_actions::ShareActions;
pub use sort_select::SortSelect;
pub use timeline::Timeline;
pub use update_banner::UpdateBanner;
