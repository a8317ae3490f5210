#!/usr/bin/python3
"""Writes the seed corpus of tests/fuzz/fuzz_ssh.cpp from the vectors in this folder.
The first byte of each seed selects the mode of the fuzz target (see its header comment)."""
import os, glob
HERE=os.path.dirname(os.path.abspath(__file__))
OUT=os.path.join(HERE, "..", "..", "fuzz", "corpus", "fuzz_ssh")
FAM={"-":0,"dh":1,"ecdh":2,"gex":3,"rsa":4}
KEXFAM={"curve25519-sha256@libssh.org":2,"ecdh-sha2-nistp256":2,"diffie-hellman-group14-sha256":1,"diffie-hellman-group-exchange-sha256":3,"diffie-hellman-group-exchange-sha1":3,"ecdh-sha2-nistp384":2,"curve25519-sha256":2}
def hexfile(n):
    return bytes.fromhex("".join(l.strip() for l in open(os.path.join(HERE,n)) if not l.startswith("#")))
def put(name, data):
    open(os.path.join(OUT,name),"wb").write(data)
for n in ("sshd-kexinit.hex","ssh-kexinit.hex"):
    put("stream-"+n.replace(".hex",""), b"\x00"+hexfile(n))
put("stream-prebanner", b"\x00"+b"Welcome\r\nSSH-2.0-x\r\n"+bytes.fromhex("0000000c0a15")+b"\0"*10)
put("stream-oversized", b"\x00SSH-2.0-x\r\n\xff\xff\xff\xff")
seen=set()
rows=[l.rstrip("\n").split("\t") for l in open(os.path.join(HERE,"messages.tsv")) if not l.startswith("#")][1:]
for sess,kex,direction,number,hx in rows:
    key=(number,direction,KEXFAM.get(kex,0))
    if key in seen: continue
    seen.add(key)
    sel=1|(KEXFAM.get(kex,0)<<2)
    put("msg-captured-%s-%s-%d"%(direction,number,KEXFAM.get(kex,0)), bytes([sel])+bytes.fromhex(hx))
rows=[l.rstrip("\n").split("\t") for l in open(os.path.join(HERE,"typed.tsv")) if not l.startswith("#")][1:]
AUTH={"-":0,"publickey":1,"password":2,"keyboard-interactive":3}
for r in rows:
    name,kex,auth,hx=r[0],r[1],r[2],r[3]
    fam={"-":0}.get(kex, KEXFAM.get(kex,0))
    put("msg-typed-"+name, bytes([1|(fam<<2)|(AUTH[auth]<<5)])+bytes.fromhex(hx))
def strings(b, off):
    out=[]
    while off+4<=len(b):
        n=int.from_bytes(b[off:off+4],"big")
        if off+4+n>len(b): break
        out.append(b[off+4:off+4+n]); off+=4+n
    return out
for r in rows:
    if r[0].startswith("kex") and "reply" in r[0] and r[4]=="ok":
        parts=strings(bytes.fromhex(r[3]),1)
        if len(parts)==3:
            put("key-"+r[0], b"\x02"+parts[0])
            put("sig-"+r[0], b"\x03"+parts[2])
print(len(os.listdir(OUT)))
