#!/bin/sh
# Open MPI's remote-shell agent on the emulated cluster (mpirun --mca plm_rsh_agent THIS): where
# ssh would log in to HOST, run the command inside HOST's network namespace. HOST is an address
# tb_addr gave; TB_ID and TB_SUBNET (exported by calibrate/testbed/mpi_allreduce.sh) name the
# namespaces. Like sshd, the command words are joined and run by a shell.
host=$1
shift
case $host in
  "$TB_SUBNET".*) i=$((${host##*.} - 1)) ;;
  *) echo "netns_agent: host '$host' is not on the testbed's subnet $TB_SUBNET.0/24" >&2; exit 255 ;;
esac
exec ip netns exec "${TB_ID}h$i" /bin/sh -c "$*"
