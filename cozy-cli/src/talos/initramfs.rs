//! Talos initramfs images: which segments they hold, the base archive and `extensions.yaml`
//! (spec 5.6).
//!
//! Pure: reads only the reader it is given, in one pass, without holding the image in memory.
//! An initramfs is a concatenation of segments, each an uncompressed newc cpio archive or a
//! compressed one (zstd frames, xz streams, gzip members), with zero padding between them. A
//! compressed segment ends where a frame (stream, member) ends between two cpio archives; a
//! frame that ends inside an archive is continued by the next one. File data is skipped except
//! `extensions.yaml`. xz is the one exception to streaming: lzma-rs decodes each xz block into
//! memory before handing it on, so an xz segment costs its largest block's decompressed size.

mod newc;
mod xz_stream;

use std::io::{self, BufRead, Read};

use anyhow::{Context as _, anyhow, bail};

use newc::{Mode, Newc};
use xz_stream::XzStream;

/// One layer of `extensions.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extension {
    /// The squashfs file of the layer (`0.sqsh`).
    pub image: String,
    /// `metadata.name` (`drbd`; `modules.dep` for the merged kernel-module layer).
    pub name: String,
    /// `metadata.version`, empty when absent.
    pub version: String,
}

/// What an initramfs holds, as far as cozy checks it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Initramfs {
    /// Some archive holds `init`.
    pub has_init: bool,
    /// Some archive holds `rootfs.sqsh`.
    pub has_rootfs: bool,
    /// File names of the regular files `kernel/x86/microcode/*.bin` (`GenuineIntel.bin`), in
    /// archive order.
    pub microcode: Vec<String>,
    /// The layers of the last `extensions.yaml`; `None` when there is none.
    pub extensions: Option<Vec<Extension>>,
    /// The segments in order: `cpio` (uncompressed), `zstd`, `xz` or `gzip`.
    pub segments: Vec<String>,
}

/// Reads an initramfs image to its end.
pub fn inspect(reader: impl Read) -> anyhow::Result<Initramfs> {
    let mut source = Source::new(reader);
    let mut found = Initramfs::default();
    loop {
        source.skip_zeros().context("reading the initramfs")?;
        let start = source.offset;
        let magic = source.peek(6).context("reading the initramfs")?;
        if magic.is_empty() {
            break;
        }
        let Some(kind) = Kind::of(magic) else {
            bail!(
                "offset {start:#x}: expected a newc cpio (`070701`), zstd, xz or gzip segment or zero padding, found {}",
                describe(magic)
            );
        };
        if kind == Kind::ZstdSkippable {
            skip_zstd_skippable(&mut source)
                .with_context(|| format!("zstd skippable frame at offset {start:#x}"))?;
            continue;
        }
        found.segments.push(kind.name().to_owned());
        segment(&mut source, kind, &mut found)
            .with_context(|| format!("{} segment at offset {start:#x}", kind.name()))?;
    }
    if found.segments.is_empty() {
        bail!("the initramfs holds no cpio archive (it is empty or all zeros)");
    }
    Ok(found)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Cpio,
    Zstd,
    ZstdSkippable,
    Xz,
    Gzip,
}

impl Kind {
    fn of(magic: &[u8]) -> Option<Kind> {
        match magic {
            [b'0', b'7', b'0', b'7', b'0', b'1' | b'2', ..] => Some(Kind::Cpio),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Kind::Zstd),
            [0x50..=0x5f, 0x2a, 0x4d, 0x18, ..] => Some(Kind::ZstdSkippable),
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Kind::Xz),
            [0x1f, 0x8b, ..] => Some(Kind::Gzip),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Cpio => "cpio",
            Kind::Zstd | Kind::ZstdSkippable => "zstd",
            Kind::Xz => "xz",
            Kind::Gzip => "gzip",
        }
    }
}

fn segment<R: Read>(
    source: &mut Source<R>,
    kind: Kind,
    found: &mut Initramfs,
) -> anyhow::Result<()> {
    if kind == Kind::Cpio {
        let mut sink = Newc::new(found, Mode::Raw);
        while !sink.ended() {
            let buf = source.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let used = sink.feed(buf)?;
            source.consume(used);
        }
        return sink.finish();
    }
    let mut sink = Newc::new(found, Mode::Stream);
    for member in 0.. {
        let start = source.offset;
        decode_member(source, kind, &mut sink).with_context(|| {
            format!("{} at offset {start:#x}", if kind == Kind::Gzip { "member" } else { "frame" })
        })?;
        if sink.at_boundary() {
            break;
        }
        // The cpio archive goes on in the next frame of the same kind.
        let next = loop {
            source.skip_zeros()?;
            match Kind::of(source.peek(6)?) {
                Some(Kind::ZstdSkippable) if kind == Kind::Zstd => skip_zstd_skippable(source)?,
                next => break next,
            }
        };
        if next != Some(kind) {
            return sink.finish().with_context(|| {
                format!("at offset {:#x} after {} compressed part(s)", source.offset, member + 1)
            });
        }
    }
    sink.finish()
}

/// Decodes one zstd frame, xz stream or gzip member into `sink`.
fn decode_member<R: Read>(
    source: &mut Source<R>,
    kind: Kind,
    sink: &mut Newc<'_>,
) -> anyhow::Result<()> {
    match kind {
        Kind::Zstd => {
            let mut decoder = ruzstd::decoding::StreamingDecoder::new(&mut *source)
                .map_err(|err| anyhow!("bad zstd frame header: {err}"))?;
            pump(&mut decoder, sink)?;
            // ruzstd does not compare a frame's content checksum by itself.
            let frame = decoder.into_frame_decoder();
            if let (Some(stored), Some(computed)) =
                (frame.get_checksum_from_data(), frame.get_calculated_checksum())
                && stored != computed
            {
                bail!("zstd frame checksum does not match its content");
            }
            Ok(())
        }
        Kind::Gzip => pump(&mut flate2::bufread::GzDecoder::new(&mut *source), sink),
        Kind::Xz => {
            let mut stream = io::BufReader::new(XzStream::new(&mut *source));
            let result = lzma_rs::xz_decompress(&mut stream, sink);
            if let Some(error) = sink.take_error() {
                return Err(error);
            }
            result.map_err(|err| anyhow!("{err}"))?;
            if !stream.get_ref().done() {
                bail!("xz stream ended before its footer");
            }
            Ok(())
        }
        Kind::Cpio | Kind::ZstdSkippable => unreachable!("only compressed kinds have members"),
    }
}

fn pump(decoder: &mut impl Read, sink: &mut Newc<'_>) -> anyhow::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let got = match decoder.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(got) => got,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return Err(err).with_context(|| {
                    format!("decompressing (after {} decompressed bytes)", sink.offset())
                });
            }
        };
        sink.feed(&buf[..got])?;
    }
}

fn skip_zstd_skippable<R: Read>(source: &mut Source<R>) -> anyhow::Result<()> {
    let mut header = [0u8; 8];
    source.read_exact(&mut header).context("truncated frame header")?;
    let len = u64::from(u32::from_le_bytes([header[4], header[5], header[6], header[7]]));
    let skipped = io::copy(&mut source.by_ref().take(len), &mut io::sink())?;
    if skipped != len {
        bail!("truncated: {skipped} of {len} bytes");
    }
    Ok(())
}

/// Up to six bytes as text for messages.
fn describe(bytes: &[u8]) -> String {
    if bytes.iter().all(u8::is_ascii_graphic) {
        format!("`{}`", String::from_utf8_lossy(bytes))
    } else {
        let hex: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        format!("bytes {}", hex.join(" "))
    }
}

/// A buffered reader that can look a few bytes ahead and counts what was consumed.
struct Source<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    /// Bytes consumed so far: the offset in the image of the next byte.
    offset: u64,
}

impl<R: Read> Source<R> {
    fn new(inner: R) -> Source<R> {
        Source { inner, buf: vec![0; 64 * 1024].into_boxed_slice(), pos: 0, end: 0, offset: 0 }
    }

    /// The next `len` bytes without consuming them; fewer only at the end of the input.
    fn peek(&mut self, len: usize) -> io::Result<&[u8]> {
        if self.end - self.pos < len {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            while self.end < len {
                let got = read_retrying(&mut self.inner, &mut self.buf[self.end..])?;
                if got == 0 {
                    break;
                }
                self.end += got;
            }
        }
        Ok(&self.buf[self.pos..self.end.min(self.pos + len)])
    }

    fn skip_zeros(&mut self) -> io::Result<()> {
        loop {
            let buf = self.fill_buf()?;
            let zeros = buf.iter().take_while(|&&byte| byte == 0).count();
            let more = !buf.is_empty() && zeros == buf.len();
            self.consume(zeros);
            if !more {
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let len = available.len().min(out.len());
        out[..len].copy_from_slice(&available[..len]);
        self.consume(len);
        Ok(len)
    }
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.end {
            self.pos = 0;
            self.end = read_retrying(&mut self.inner, &mut self.buf)?;
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.end - self.pos);
        self.pos += amount;
        self.offset += amount as u64;
    }
}

fn read_retrying(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, Read};

    use cozy_test_doubles::cpio::newc;
    use cozy_test_doubles::initramfs::{Options, build, xz, zstd};

    use super::{Extension, Initramfs, inspect};

    const BASE: &[(&str, &[u8])] = &[("init", b"init binary"), ("rootfs.sqsh", b"hsqs rootfs")];

    fn names(found: &Initramfs) -> Vec<&str> {
        let layers = found.extensions.as_ref().expect("an extensions.yaml");
        layers.iter().map(|layer| layer.name.as_str()).collect()
    }

    fn error(bytes: &[u8]) -> String {
        format!("{:#}", inspect(bytes).unwrap_err())
    }

    /// Hands out one byte per read, so every parser state meets a chunk boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
            if buf.is_empty() {
                return Ok(0);
            }
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn talos_layout_with_microcode_and_kernel_modules() {
        let bytes = build(
            &["intel-ucode", "amd-ucode", "drbd:9.3.2-v1.13.6", "tailscale:1.98.5"],
            "v1.13.6",
            &Options::default(),
        );
        let found = inspect(&bytes[..]).unwrap();
        assert_eq!(found.segments, ["cpio", "zstd", "zstd"]);
        assert!(found.has_init && found.has_rootfs);
        assert_eq!(found.microcode, ["GenuineIntel.bin", "AuthenticAMD.bin"]);
        let layers = found.extensions.clone().unwrap();
        assert_eq!(
            layers[2],
            Extension {
                image: "2.sqsh".into(),
                name: "drbd".into(),
                version: "9.3.2-v1.13.6".into()
            }
        );
        assert_eq!(names(&found), ["intel-ucode", "amd-ucode", "drbd", "tailscale", "modules.dep"]);
        assert_eq!(
            inspect(Trickle(&bytes)).unwrap(),
            found,
            "one byte per read gives the same answer"
        );
    }

    #[test]
    fn no_microcode_segment_without_ucode_extensions_and_no_modules_dep_without_modules() {
        let found =
            inspect(&build(&["bnx2-bnx2x", "spin"], "v1.13.6", &Options::default())[..]).unwrap();
        assert_eq!(found.segments, ["zstd", "zstd"]);
        assert!(found.microcode.is_empty());
        assert_eq!(names(&found), ["bnx2-bnx2x", "spin"]);
        assert_eq!(found.extensions.unwrap()[1].version, "0.0.0-fake");
    }

    #[test]
    fn zfs_alone_brings_modules_dep_and_a_dropped_extension_is_missing() {
        let opts = Options { drop_extension: Some("spin"), ..Options::default() };
        let found = inspect(&build(&["zfs", "spin", "tailscale"], "v1.13.6", &opts)[..]).unwrap();
        assert_eq!(names(&found), ["zfs", "tailscale", "modules.dep"]);
    }

    #[test]
    fn old_talos_xz_extensions_segment() {
        let opts = Options { xz_extensions: true, ..Options::default() };
        let bytes = build(&["amd-ucode", "zfs"], "v1.7.6", &opts);
        let found = inspect(&bytes[..]).unwrap();
        assert_eq!(found.segments, ["cpio", "zstd", "xz"]);
        assert_eq!(names(&found), ["amd-ucode", "zfs", "modules.dep"]);
        assert_eq!(inspect(Trickle(&bytes)).unwrap(), found);
    }

    #[test]
    fn missing_extensions_yaml_is_none_and_missing_init_is_reported() {
        let found = inspect(&zstd(&newc(BASE))[..]).unwrap();
        assert_eq!(found.segments, ["zstd"]);
        assert!(found.has_init && found.has_rootfs);
        assert_eq!(found.extensions, None);

        let found = inspect(&newc(&[("rootfs.sqsh", b"x")])[..]).unwrap();
        assert!(!found.has_init && found.has_rootfs);
    }

    #[test]
    fn segments_with_and_without_zero_padding_and_frames_split_mid_archive() {
        let base = newc(BASE);
        let extensions = newc(&[
            ("0.sqsh", b"hsqs"),
            ("extensions.yaml", b"layers:\n  - image: 0.sqsh\n    metadata: {name: spin}\n"),
        ]);
        let (head, tail) = extensions.split_at(150); // inside the `extensions.yaml` entry
        let mut bytes = newc(&[("kernel/x86/microcode/GenuineIntel.bin", b"ucode")]);
        bytes.extend_from_slice(&[0; 512]); // GNU cpio pads to 512
        bytes.extend(zstd(&base)); // no padding before the next segment
        bytes.extend(zstd(head));
        bytes.extend(zstd(tail));
        bytes.extend_from_slice(&[0; 3]);
        let found = inspect(&bytes[..]).unwrap();
        assert_eq!(found.segments, ["cpio", "zstd", "zstd"]);
        assert_eq!(names(&found), ["spin"]);
        assert_eq!(found.extensions.unwrap()[0].version, "");
        assert_eq!(inspect(Trickle(&bytes)).unwrap().segments, ["cpio", "zstd", "zstd"]);
    }

    #[test]
    fn two_archives_in_one_stream_and_skippable_frames_and_gzip() {
        let mut stream = newc(&[("init", b"i")]);
        stream.extend_from_slice(&[0; 8]);
        stream.extend(newc(&[("rootfs.sqsh", b"r")]));
        let mut bytes = vec![0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3];
        bytes.extend(zstd(&stream));
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        io::Write::write_all(&mut gzip, &newc(&[("extensions.yaml", b"layers: []\n")])).unwrap();
        bytes.extend(gzip.finish().unwrap());
        let found = inspect(&bytes[..]).unwrap();
        assert_eq!(found.segments, ["zstd", "gzip"]);
        assert!(found.has_init && found.has_rootfs);
        assert_eq!(found.extensions, Some(Vec::new()));
    }

    #[test]
    fn broken_inputs_are_errors_that_say_where() {
        assert_eq!(error(b""), "the initramfs holds no cpio archive (it is empty or all zeros)");
        assert_eq!(
            error(&[0; 100]),
            "the initramfs holds no cpio archive (it is empty or all zeros)"
        );
        assert_eq!(
            error(b"\0\0\0\0GARBAGE!"),
            "offset 0x4: expected a newc cpio (`070701`), zstd, xz or gzip segment or zero padding, found `GARBAG`"
        );

        let base = zstd(&newc(BASE));
        let message = error(&base[..base.len() - 5]);
        assert!(
            message.starts_with("zstd segment at offset 0x0: frame at offset 0x0: decompressing"),
            "{message}"
        );

        let raw = newc(BASE);
        assert_eq!(
            error(&raw[..100]),
            "cpio segment at offset 0x0: cpio data ends inside the entry header at offset 0x0"
        );
        assert_eq!(
            error(&raw[..120]),
            "cpio segment at offset 0x0: cpio data ends inside entry `init` (header at offset 0x0)"
        );
        assert_eq!(
            error(&raw[..130]),
            "cpio segment at offset 0x0: cpio data ends inside the entry header at offset 0x80"
        );

        let mut bad_field = raw.clone();
        bad_field[6 + 8 * 6] = b'x'; // filesize of `init`
        assert_eq!(
            error(&bad_field),
            "cpio segment at offset 0x0: offset 0x0: cpio header field 6 is not 8 hex digits: \"x000000b\""
        );

        // A zstd segment whose archive stops short, then something else.
        let mut cut = zstd(&raw[..256]);
        cut.extend(newc(BASE));
        let message = error(&cut);
        assert!(message.starts_with(&format!("zstd segment at offset 0x0: at offset {:#x} after 1 compressed part(s): cpio data ends inside entry `rootfs.sqsh`", cut.len() - raw.len())), "{message}");

        let mut bad_chunk = xz(&newc(BASE));
        assert_eq!(bad_chunk[24], 0x01, "lzma-rs starts its LZMA2 data with an uncompressed chunk");
        bad_chunk[24] = 0x05;
        let message = error(&bad_chunk);
        assert!(
            message.starts_with("xz segment at offset 0x0: frame at offset 0x0: "),
            "{message}"
        );
        assert!(
            message.contains("invalid LZMA2 chunk control byte 0x05 at xz stream offset 0x18"),
            "{message}"
        );
        let whole = xz(&newc(BASE));
        let message = error(&whole[..whole.len() - 1]);
        assert!(
            message.starts_with("xz segment at offset 0x0: frame at offset 0x0: "),
            "{message}"
        );

        let mut junk_after_trailer = newc(BASE);
        junk_after_trailer.extend_from_slice(b"junk");
        assert_eq!(
            error(&zstd(&junk_after_trailer)),
            format!(
                "zstd segment at offset 0x0: frame at offset 0x0: offset {:#x}: expected a cpio header (`070701`) or zero padding, found byte 0x6a",
                raw.len()
            )
        );
    }

    #[test]
    fn extensions_yaml_must_parse_and_stay_under_the_cap() {
        let bad = newc(&[("extensions.yaml", b"layers: [{image: 0.sqsh}]\n")]);
        let message = error(&zstd(&bad));
        assert!(
            message.contains(
                "`extensions.yaml` (cpio entry at offset 0x0) is not a Talos extensions manifest"
            ),
            "{message}"
        );

        let big = vec![b'#'; (1 << 20) + 1];
        let message = error(&newc(&[("extensions.yaml", &big)]));
        assert_eq!(
            message,
            "cpio segment at offset 0x0: offset 0x0: `extensions.yaml` is 1048577 bytes, more than the 1048576-byte cap"
        );
    }

    #[test]
    fn large_files_stream_through() {
        // 8 MiB of rootfs in small zstd frames and an xz stream: decoded, skipped, never kept.
        let rootfs: Vec<u8> = (0..8u32 << 20).map(|index| (index % 251) as u8).collect();
        let archive =
            newc(&[("init", b"i"), ("rootfs.sqsh", &rootfs), ("extensions.yaml", b"layers: []\n")]);
        let mut bytes = Vec::new();
        for chunk in archive.chunks(1 << 20) {
            bytes.extend(zstd(chunk));
        }
        bytes.extend(xz(&newc(&[("0.sqsh", &rootfs[..1 << 20])])));
        let found = inspect(&bytes[..]).unwrap();
        assert_eq!(found.segments, ["zstd", "xz"]);
        assert!(found.has_rootfs);
    }

    /// Archives from the real `cpio`, `zstd` and `xz` tools parse (zstd with a content checksum;
    /// xz multi-block with the CRC32 check old Talos used and real LZMA chunks), and `cpio`
    /// lists what the builder wrote.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn real_cpio_zstd_and_xz_agree() {
        use std::process::{Command, Stdio};

        let run = |program: &str, args: &[&str], input: &[u8]| -> Vec<u8> {
            let mut child = Command::new(program)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|err| panic!("{program} is needed by this test: {err}"));
            let mut stdin = child.stdin.take().unwrap();
            let input = input.to_vec();
            let writer = std::thread::spawn(move || io::Write::write_all(&mut stdin, &input));
            let output = child.wait_with_output().unwrap();
            writer.join().unwrap().unwrap();
            assert!(
                output.status.success(),
                "{program}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            output.stdout
        };

        let archive = newc(&[
            ("kernel/", b""),
            ("kernel/x86/", b""),
            ("kernel/x86/microcode/", b""),
            ("kernel/x86/microcode/AuthenticAMD.bin", b"ucode"),
            ("init", b"init"),
        ]);
        let listed = String::from_utf8(run("cpio", &["-it", "--quiet"], &archive)).unwrap();
        assert_eq!(
            listed,
            "kernel\nkernel/x86\nkernel/x86/microcode\nkernel/x86/microcode/AuthenticAMD.bin\ninit\n"
        );

        // `cpio -o -H newc` output (with its 512-byte padding) parses as well.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("kernel/x86/microcode")).unwrap();
        std::fs::write(dir.path().join("kernel/x86/microcode/GenuineIntel.bin"), b"ucode").unwrap();
        let list =
            b"kernel\nkernel/x86\nkernel/x86/microcode\nkernel/x86/microcode/GenuineIntel.bin\n";
        let mut child = Command::new("cpio")
            .args(["-o", "-H", "newc", "--quiet"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        io::Write::write_all(&mut child.stdin.take().unwrap(), list).unwrap();
        let real_cpio = child.wait_with_output().unwrap().stdout;
        assert_eq!(real_cpio.len() % 512, 0);

        let rootfs: Vec<u8> = (0..300_000u32).map(|index| (index * 7 % 253) as u8).collect();
        let extensions = newc(&[
            ("0.sqsh", &rootfs),
            ("extensions.yaml", b"layers:\n    - image: 0.sqsh\n      metadata:\n        name: zfs\n        version: 2.4.3\n"),
        ]);
        let xz_stream =
            run("xz", &["-z", "-c", "-0", "--check=crc32", "--block-size=65536"], &extensions);
        let mut bytes = real_cpio;
        bytes.extend(run("zstd", &["-q", "-c", "--check"], &newc(BASE))); // with a content checksum
        bytes.extend(xz_stream);
        bytes.extend(xz(&newc(&[("extra", b"second xz stream")])));
        let found = inspect(&bytes[..]).unwrap();
        assert_eq!(found.segments, ["cpio", "zstd", "xz", "xz"]);
        assert_eq!(found.microcode, ["GenuineIntel.bin"]);
        assert_eq!(found.extensions.as_ref().unwrap()[0].version, "2.4.3");
        assert_eq!(inspect(Trickle(&bytes)).unwrap(), found);

        // And what the builder writes, `xz -t` and `zstd -t` accept.
        run("xz", &["-t"], &xz(b"hello"));
        run("zstd", &["-t", "-q"], &zstd(b"hello"));

        // A byte flipped inside stored (incompressible) zstd data still decodes; only the
        // frame's content checksum tells.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| i.wrapping_mul(2_654_435_761).rotate_left(i % 31).to_le_bytes()[1])
            .collect();
        let mut frame = run(
            "zstd",
            &["-q", "-c", "--check", "-1"],
            &newc(&[("init", b"i"), ("rootfs.sqsh", &noise)]),
        );
        inspect(&frame[..]).unwrap();
        let middle = frame.len() / 2;
        frame[middle] ^= 0x40;
        let err = format!("{:#}", inspect(&frame[..]).unwrap_err());
        assert!(err.contains("checksum"), "{err}");
    }
}
