from jzleader.entry import main

main()
