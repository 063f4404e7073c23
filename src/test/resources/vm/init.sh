#!/bin/busybox sh
# /init of the rightsize test VM (see dev.rightsize.it.vm.QemuVm).
# Mounts the host's root read-only over 9p at /host, a cgroup2 hierarchy at /sys/fs/cgroup, then
# runs the script named by rightsize.script= on the kernel command line inside chroot /host and
# prints its output between markers on the console. Always ends with poweroff -f.
/bin/busybox mkdir -p /proc /sys /dev /host /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin
say() { echo "rightsize-vm: $*"; }
fail() { say "FAILED: $*"; echo "@@RIGHTSIZE-VM-FAIL@@ $*"; poweroff -f; sleep 10; }
# The modules the harness packed, in load order (a module built into the kernel or absent from
# this kernel is simply not in the list; a failed insmod is tolerated: the 9p mount below says
# whether what is needed is there).
for m in $(cat /lib/modules/load-order 2>/dev/null); do
  insmod "/lib/modules/$m.ko" 2>/dev/null || say "insmod $m failed (built in?)"
done
script= nonce= deadline=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    rightsize.script=*) script=${arg#rightsize.script=} ;;
    rightsize.nonce=*) nonce=${arg#rightsize.nonce=} ;;
    rightsize.deadline=*) deadline=${arg#rightsize.deadline=} ;;
  esac
done
# A watchdog of the VM's own: it powers off even if the host side that should kill qemu is gone.
if [ -n "$deadline" ]; then
  ( sleep "$deadline"; echo "@@RIGHTSIZE-VM-FAIL@@ deadline of ${deadline}s reached in the VM"; poweroff -f ) &
fi
[ -n "$script" ] || fail "no rightsize.script= on the kernel command line"
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 host /host || fail "9p mount of the host root"
mkdir -p /sys/fs/cgroup
mount -t cgroup2 -o nsdelegate none /sys/fs/cgroup || fail "cgroup2 mount"
echo "+cpu +memory +cpuset" > /sys/fs/cgroup/cgroup.subtree_control || fail "cgroup.subtree_control"
mount --bind /proc /host/proc || fail "bind /proc"
mount --bind /sys /host/sys || fail "bind /sys"
mount --bind /sys/fs/cgroup /host/sys/fs/cgroup || fail "bind cgroup2"
mount --bind /dev /host/dev || fail "bind /dev"
mount -t tmpfs -o mode=1777 tmpfs /host/tmp || fail "tmpfs on /host/tmp"
[ -d /host/dev/pts ] && mount -t devpts devpts /host/dev/pts 2>/dev/null
[ -f "/host$script" ] || fail "script $script not visible in the VM (a host /tmp path is hidden by the VM's tmpfs)"
echo "@@RIGHTSIZE-VM-BEGIN $nonce@@"
chroot /host /bin/sh "$script" </dev/null
rc=$?
echo "@@RIGHTSIZE-VM-END $nonce rc=$rc@@"
sync
poweroff -f
sleep 10
