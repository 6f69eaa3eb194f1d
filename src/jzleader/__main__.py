from jzleader.cli import main

main()
