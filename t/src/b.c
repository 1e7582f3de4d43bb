int f(void)
{
	/* LAB7 BEGIN: f's body */
	return 42;
	/* LAB7 STUB
	return -1;
	LAB7 END */
}
