# Choosing QEMU's accelerator for booting Xen.  Sourced by scripts/run-xen.sh
# and scripts/run-domu.sh, not run.
#
#   pick_accel FORCED XEN_ELF
#
# Prints "kvm", or "tcg:REASON" saying why KVM was not used.  A non-empty
# FORCED (tcg or kvm, from --accel or MINIOS_ACCEL) is printed as it is.
# KVM is used only where it can run Xen: real VMX/SVM, not the kvm-pvm
# software hypervisor, a writable /dev/kvm, and a probe boot of XEN_ELF
# under KVM that reaches Xen's own console.

pick_accel() {
    local forced=$1 xen_elf=$2
    if [ -n "$forced" ]; then
        echo "$forced"; return
    fi
    if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
        echo "tcg:no vmx/svm in /proc/cpuinfo"; return
    fi
    if [ -d /sys/module/kvm_pvm ]; then
        echo "tcg:/dev/kvm is kvm-pvm, which cannot run Xen"; return
    fi
    if [ ! -w /dev/kvm ]; then
        echo "tcg:/dev/kvm is not writable"; return
    fi
    local probe
    probe=$(mktemp)
    timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256 -display none -vga none \
        -nodefaults -no-reboot -monitor none -serial "file:$probe" \
        -kernel "$xen_elf" -append "console=com1" >/dev/null 2>&1
    if grep -q 'Xen version' "$probe"; then
        rm -f "$probe"; echo "kvm"
    else
        rm -f "$probe"; echo "tcg:a KVM probe boot of Xen failed"
    fi
}
