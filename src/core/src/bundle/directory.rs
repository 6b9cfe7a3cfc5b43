//! Numbered series of files (listing shards, article shards…) named through directory pages, so a segment of
//! any size names its files in a few small pages rather than in one growing list.

use super::DIRECTORY_FOLDER;
use crate::files::{json_file, BundleFile};
use serde::{Deserialize, Serialize};

/// A numbered series of files: file `n` holds items `n * per_file ..`; its name is slot `n % per_page` of
/// directory page `n / per_page`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    pub per_file: u32,
    pub files: u32,
    pub per_page: u32,
    pub directory: Vec<String>,
    /// The one directory page's contents, when the family has a single page of at most `INLINE_FILES`
    /// files: a reader then needs no request for it (on a ten-thousand-article archive a cold search asked
    /// for twelve such pages of 66 to 981 bytes). The page is written all the same, since the service worker
    /// and `sahifa files` list a bundle through its directory pages. Absent in descriptors written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<InlinePage>,
    /// Per file, the bytes of the slot each of its items has where the file lays them out at fixed places
    /// (listing rows: `listing::encode_listing_shard`), so that one item is read by range; 0 for a file that
    /// does not. Empty when no file does, as in bundles written before slots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<u16>,
}

/// A directory page carried inside its descriptor: its size as a file, and what it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlinePage {
    pub bytes: u64,
    pub files: Vec<(String, u64)>,
}

/// The most files a family's directory page may name and still be carried in its descriptor: about 40
/// bytes a name, brotli keeps the hashes' 8 bytes each. 256 (a directory page's worth) carries the listing
/// of a segment of 32,768 articles, so the cards of a search in it are read in the same round as the
/// others; with 64, segments of 16,384 articles and more cost their cards a round for the page.
pub const INLINE_FILES: usize = 256;

impl Family {
    /// The directory page and the slot in it that name file `number`.
    pub fn locate(&self, number: u32) -> Option<(&str, usize)> {
        if number >= self.files || self.per_page == 0 {
            return None;
        }
        let page = self.directory.get((number / self.per_page) as usize)?;
        Some((page, (number % self.per_page) as usize))
    }

    /// The file holding item `item` and the item's place in it.
    pub fn file_of_item(&self, item: u32) -> Option<(u32, u32)> {
        (self.per_file > 0).then(|| (item / self.per_file, item % self.per_file)).filter(|(file, _)| *file < self.files)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    /// Path and size in bytes of each file.
    pub files: Vec<(String, u64)>,
}

/// Writes a family's directory pages once its files are known.
pub fn write_family(per_file: u32, per_page: u32, files: Vec<(String, u64)>, emit: &mut dyn FnMut(BundleFile)) -> Family {
    let count = files.len() as u32;
    let mut directory = Vec::new();
    let mut inline = None;
    let single = files.len() <= per_page.max(1) as usize && files.len() <= INLINE_FILES;
    for page in files.chunks(per_page.max(1) as usize) {
        let file = json_file(DIRECTORY_FOLDER, &DirectoryPage { files: page.to_vec() });
        directory.push(file.path.clone());
        if single {
            inline = Some(InlinePage { bytes: file.bytes.len() as u64, files: page.to_vec() });
        }
        emit(file);
    }
    Family { per_file, files: count, per_page, directory, inline, slots: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_names_its_files_through_pages_and_refuses_what_it_lacks() {
        let mut pages = Vec::new();
        let files: Vec<(String, u64)> = (0..5).map(|n| (format!("f{n}"), n)).collect();
        let family = write_family(10, 2, files, &mut |file| pages.push(file));
        assert_eq!((family.files, family.directory.len(), pages.len()), (5, 3, 3));
        assert_eq!(family.locate(3), Some((family.directory[1].as_str(), 1)));
        assert_eq!(family.locate(5), None);
        assert_eq!(family.inline, None, "three pages are not carried inline");
        let mut single = Vec::new();
        let small = write_family(10, 8, (0..5).map(|n| (format!("f{n}"), n)).collect(), &mut |file| single.push(file));
        let inline = small.inline.expect("one small page is carried inline");
        assert_eq!((single.len(), inline.bytes, &inline.files[4]), (1, single[0].bytes.len() as u64, &("f4".to_owned(), 4)));
        assert_eq!(family.file_of_item(49), Some((4, 9)));
        assert_eq!(family.file_of_item(50), None);
        let broken = Family { per_file: 0, files: 3, per_page: 0, directory: Vec::new(), inline: None, slots: Vec::new() };
        assert_eq!((broken.locate(0), broken.file_of_item(0)), (None, None));
    }
}
