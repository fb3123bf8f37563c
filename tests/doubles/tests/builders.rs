//! The builders' outputs as real tools see them.

#![allow(clippy::disallowed_methods)]

use std::io::Write as _;
use std::process::{Command, Stdio};

use cozy_test_doubles::{cpio, initramfs, pe};

fn tool(program: &str, args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{program} is needed by this test: {err}"));
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{program}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn objdump_reads_the_pe_section_table() {
    let dir = std::env::temp_dir().join(format!("cozy-doubles-pe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("vmlinuz.efi");
    let initrd = vec![7u8; 1000];
    std::fs::write(
        &path,
        pe::build(pe::MACHINE_AMD64, &[(".linux", b"kernel"), (".initrd", &initrd)], false, false),
    )
    .unwrap();
    let listing = tool("objdump", &["-h", path.to_str().unwrap()], b"");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(listing.contains("file format pei-x86-64"), "{listing}");
    let sections: Vec<(String, String)> = listing
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.len() == 7 && fields[0].parse::<u32>().is_ok())
                .then(|| (fields[1].to_owned(), fields[2].to_owned()))
        })
        .collect();
    assert_eq!(
        sections,
        [
            (".linux".to_owned(), "00000006".to_owned()),
            (".initrd".to_owned(), "000003e8".to_owned())
        ]
    );
}

#[test]
fn cpio_lists_the_newc_archive() {
    let archive = cpio::newc(&[("kernel/", b""), ("kernel/a b.bin", b"data"), ("init", b"")]);
    assert_eq!(tool("cpio", &["-it", "--quiet"], &archive), "kernel\nkernel/a b.bin\ninit\n");
    assert_eq!(tool("cpio", &["-i", "--quiet", "--to-stdout", "kernel/a b.bin"], &archive), "data");
}

#[test]
fn builders_are_deterministic_and_compressors_are_real() {
    let opts = initramfs::Options::default();
    let first = initramfs::build(&["amd-ucode", "zfs:2.4.3"], "v1.13.6", &opts);
    assert_eq!(first, initramfs::build(&["amd-ucode", "zfs:2.4.3"], "v1.13.6", &opts));
    assert_eq!(tool("xz", &["-dc"], &initramfs::xz(b"hello")), "hello");
    assert_eq!(tool("zstd", &["-dc"], &initramfs::zstd(b"hello")), "hello");
    // The microcode segment leads, uncompressed, padded to 4 bytes.
    assert!(first.starts_with(b"070701"));
    let listed = tool("cpio", &["-it", "--quiet"], &first);
    assert_eq!(
        listed,
        "kernel\nkernel/x86\nkernel/x86/microcode\nkernel/x86/microcode/AuthenticAMD.bin\n"
    );
}
